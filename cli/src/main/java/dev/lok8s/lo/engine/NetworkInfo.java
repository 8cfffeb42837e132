package dev.lok8s.lo.engine;

import java.util.Map;

/**
 * A network as the engine reports it.
 *
 * @param subnet     the first IPv4 subnet of its IPAM config, null if it has none
 * @param containers attached containers: container name to its IPv4 address on this network
 */
public record NetworkInfo(String id, String name, String subnet, Map<String, String> labels,
                          Map<String, String> containers) {
    public NetworkInfo {
        labels = Map.copyOf(labels);
        containers = Map.copyOf(containers);
    }
}
