package dev.lok8s.lo.events;

import java.util.UUID;

/** The names of the event streams a run writes to. */
public final class Streams {

    private Streams() {
    }

    /** A run's own stream: RunStarted, StepCompleted, RunCompleted... */
    public static String run(UUID runId) {
        return "run-" + runId;
    }

    /** A project's resources: its network, build and cache, certs.d, cluster, nodes. */
    public static String project(String project) {
        return "project-" + project;
    }

    /** A shared network and its mirrors, which outlive any one project. */
    public static String network(String network) {
        return "network-" + network;
    }

    /** What lo read from a mirror's log ({@code MirrorLogRead}), one stream per mirror container. */
    public static String mirror(String container) {
        return "mirror-" + container;
    }
}
