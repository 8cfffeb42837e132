package dev.lok8s.lo.events;

import java.util.List;

/**
 * A kind cluster was created for a project.
 *
 * @param kind the kind executable that created it, so a later destroy can use it again when none
 *             is configured; null when lo adopted a cluster it did not create (or in older events)
 */
public record ClusterCreated(String domain, String project, String cluster, List<String> nodes, String kind)
        implements LoEvent {

    public ClusterCreated(String domain, String project, String cluster, List<String> nodes) {
        this(domain, project, cluster, nodes, null);
    }
}
