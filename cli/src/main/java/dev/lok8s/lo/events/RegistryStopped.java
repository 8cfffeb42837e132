package dev.lok8s.lo.events;

/** A registry or mirror container was found or left stopped. */
public record RegistryStopped(String domain, String project, String container) implements LoEvent {
}
