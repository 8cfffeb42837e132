package dev.lok8s.lo.events;

/** A project's build or cache registry container runs. */
public record RegistryStarted(String domain, String project, String container, String role, String network, String ip, String image, String configHash) implements LoEvent {
}
