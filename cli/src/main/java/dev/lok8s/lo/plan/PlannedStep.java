package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * One idempotent step of a provision. Steps are listed in an order that respects
 * {@code dependsOn}; steps whose dependencies are all done may run concurrently.
 *
 * @param id        unique within the plan: {@code <kind>} or {@code <kind>:<target>}
 * @param target    what the step acts on (a network, container, image, directory or cluster name)
 * @param dependsOn ids of steps that must finish first
 */
@JsonPropertyOrder({"id", "kind", "target", "dependsOn"})
public record PlannedStep(String id, StepKind kind, String target, List<String> dependsOn) {

    public PlannedStep {
        dependsOn = List.copyOf(dependsOn);
    }
}
