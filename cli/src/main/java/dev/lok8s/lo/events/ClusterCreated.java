package dev.lok8s.lo.events;

import java.util.List;

/** A kind cluster was created for a project. */
public record ClusterCreated(String domain, String project, String cluster, List<String> nodes) implements LoEvent {
}
