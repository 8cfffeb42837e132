package dev.lok8s.lo.engine;

import java.util.List;
import java.util.Map;

/**
 * A container as the engine reports it.
 *
 * @param state    the engine's state word: created, running, exited, ...
 * @param networks network name to the container's IPv4 address on it
 * @param ports    what it publishes on the host (while it runs, as the engine's list reports it)
 */
public record ContainerInfo(String id, String name, String image, String state, Map<String, String> labels,
                            Map<String, String> networks, List<PublishedPort> ports) {

    /** Publishing nothing on the host. */
    public ContainerInfo(String id, String name, String image, String state, Map<String, String> labels,
                         Map<String, String> networks) {
        this(id, name, image, state, labels, networks, List.of());
    }

    public ContainerInfo {
        ports = ports == null ? List.of() : List.copyOf(ports);
        labels = Map.copyOf(labels);
        networks = Map.copyOf(networks);
    }

    public boolean running() {
        return "running".equals(state);
    }

    /**
     * Running, or being restarted by the engine's restart policy (a pull-through registry whose
     * upstream does not answer exits and is restarted until it does): either way, up to the engine.
     */
    public boolean upOrRestarting() {
        return running() || "restarting".equals(state);
    }
}
