package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;

import java.util.List;
import java.util.Map;

/**
 * What the act part must do for an action: one Docker, kind or file operation (or a probe).
 * Decided by the pure rules, carried out by {@link EngineActions}.
 */
public sealed interface Change {

    /** Whether carrying it out changes the machine. */
    default boolean mutates() {
        return true;
    }

    record CreateNetwork(PlannedNetwork network) implements Change {
    }

    /** Remove the (empty, lo-owned) network and create it with the planned subnet. */
    record RecreateNetwork(PlannedNetwork network) implements Change {
    }

    record PullImage(String image) implements Change {
    }

    record IssueCertificate() implements Change {
    }

    /** Create the volume when {@code createVolume}, then create and start the container. */
    record RunRegistry(PlannedRegistry registry, boolean createVolume) implements Change {
    }

    record StartRegistry(PlannedRegistry registry) implements Change {
    }

    /** Remove the container, then run it as planned. */
    record ReplaceRegistry(PlannedRegistry registry, boolean createVolume) implements Change {
    }

    /** Make certs.d hold exactly these files (relative path to content). */
    record WriteCertsDir(Map<String, String> files) implements Change {
        public WriteCertsDir {
            files = Map.copyOf(files);
        }
    }

    record CreateCluster(String cluster) implements Change {
    }

    record ConnectNode(String network, String node) implements Change {
    }

    /** Ensure the registry ConfigMaps in the cluster (reads them first; writes only what differs). */
    record PublishRegistries(String cluster) implements Change {
    }

    /**
     * Ask the registries {@code GET /v2/}; the mirrors in {@code restarting} are reported, not asked.
     * Changes nothing.
     */
    record ProbeRegistries(List<PlannedRegistry> probed, List<PlannedRegistry> restarting) implements Change {
        public ProbeRegistries {
            probed = List.copyOf(probed);
            restarting = List.copyOf(restarting);
        }

        @Override
        public boolean mutates() {
            return false;
        }
    }

    // teardown

    record StopContainer(String container) implements Change {
    }

    record RemoveContainer(String container) implements Change {
    }

    record RemoveVolume(String volume) implements Change {
    }

    record Disconnect(String network, String container) implements Change {
    }

    record DeleteCluster(String cluster) implements Change {
    }

    record RemoveNetwork(String network) implements Change {
    }
}
