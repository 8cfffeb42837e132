package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/** A Docker bridge network the plan ensures. */
@JsonPropertyOrder({"name", "cidr", "gateway", "scope", "labels"})
public record PlannedNetwork(String name, String cidr, String gateway, Scope scope, Map<String, String> labels) {

    public PlannedNetwork {
        labels = Ordered.copy(labels);
    }
}
