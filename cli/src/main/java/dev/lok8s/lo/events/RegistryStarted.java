package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.Role;

/** A project's build or cache registry container runs. */
public record RegistryStarted(String domain, String project, String container, Role role, String network, String ip, String image, String configHash) implements LoEvent {
}
