package dev.lok8s.lo.engine;

import java.util.Map;

/** A bridge network to create: name, subnet ({@code a.b.c.0/n}), gateway and labels. */
public record NetworkDefinition(String name, String subnet, String gateway, Map<String, String> labels) {
    public NetworkDefinition {
        labels = Map.copyOf(labels);
    }
}
