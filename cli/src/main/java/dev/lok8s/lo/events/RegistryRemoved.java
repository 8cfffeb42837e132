package dev.lok8s.lo.events;

/** lo removed a registry or mirror container. */
public record RegistryRemoved(String domain, String project, String container) implements LoEvent {
}
