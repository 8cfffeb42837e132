package dev.lok8s.lo.engine;

import java.util.Map;

/**
 * A bridge network to create: name, subnet ({@code a.b.c.0/n}), gateway, the range the engine
 * allocates dynamic addresses from (null for the whole subnet), and labels.
 */
public record NetworkDefinition(String name, String subnet, String gateway, String ipRange,
                                Map<String, String> labels) {
    public NetworkDefinition {
        labels = Map.copyOf(labels);
    }
}
