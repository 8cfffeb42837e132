package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/**
 * A Docker bridge network the plan ensures.
 *
 * @param dynamicRange where the engine picks addresses for containers that ask for none (kind nodes);
 *                     every fixed registry address is below it
 */
@JsonPropertyOrder({"name", "cidr", "gateway", "dynamicRange", "scope", "labels"})
public record PlannedNetwork(String name, String cidr, String gateway, String dynamicRange, Scope scope,
                             Map<String, String> labels) {

    public PlannedNetwork {
        labels = Ordered.copy(labels);
    }
}
