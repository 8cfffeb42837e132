package dev.lok8s.lo.events;

import dev.lok8s.lo.plan.Role;

/**
 * A project's build or cache registry container runs.
 *
 * @param hostPort the loopback port of the host it is published on ({@code localhost:<hostPort>} is where the
 *                 host pushes); null when it is not published, and in events written before host ports
 */
public record RegistryStarted(String domain, String project, String container, Role role, String network, String ip,
                              String image, String configHash, Integer hostPort) implements LoEvent {

    /** Not published on the host. */
    public RegistryStarted(String domain, String project, String container, Role role, String network, String ip,
                           String image, String configHash) {
        this(domain, project, container, role, network, ip, image, configHash, null);
    }
}
