package dev.lok8s.lo.events;

/** A project's kind cluster was deleted. */
public record ClusterDeleted(String domain, String project, String cluster) implements LoEvent {
}
