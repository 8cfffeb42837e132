package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;

import java.util.List;
import java.util.Map;

/**
 * What the act part must do for an action: one Docker, kind or file operation (or a probe). Decided by
 * the pure rules; a provision's changes ({@link Provision}, from {@link ProvisionRules}, carried out by
 * {@link EngineActions}) and a teardown's ({@link Teardown}, from {@link TeardownRules}, carried out by
 * {@link TeardownActions}) are separate types, so neither interpreter meets the other's.
 */
public sealed interface Change permits Change.Provision, Change.Teardown {

    /** Whether carrying it out changes the machine. */
    default boolean mutates() {
        return true;
    }

    /** A change a provision (or registry up) makes. */
    sealed interface Provision extends Change {
    }

    /** A change a teardown (registry down, registry clean, destroy) makes. */
    sealed interface Teardown extends Change {
    }

    record CreateNetwork(PlannedNetwork network) implements Provision {
    }

    /** Remove the (empty, lo-owned) network and create it with the planned subnet. */
    record RecreateNetwork(PlannedNetwork network) implements Provision {
    }

    record PullImage(String image) implements Provision {
    }

    record IssueCertificate() implements Provision {
    }

    /** Create the volume when {@code createVolume}, then create and start the container. */
    record RunRegistry(PlannedRegistry registry, boolean createVolume) implements Provision {
    }

    record StartRegistry(PlannedRegistry registry) implements Provision {
    }

    /** Remove the container, then run it as planned. */
    record ReplaceRegistry(PlannedRegistry registry, boolean createVolume) implements Provision {
    }

    /** Make certs.d hold exactly these files (relative path to content). */
    record WriteCertsDir(Map<String, String> files) implements Provision {
        public WriteCertsDir {
            files = Map.copyOf(files);
        }
    }

    record CreateCluster(String cluster) implements Provision {
    }

    record ConnectNode(String network, String node) implements Provision {
    }

    /** Ensure the registry ConfigMaps in the cluster (reads them first; writes only what differs). */
    record PublishRegistries(String cluster) implements Provision {
    }

    /**
     * Ask the registries {@code GET /v2/}; the mirrors in {@code restarting} are reported, not asked.
     * Changes nothing.
     */
    record ProbeRegistries(List<PlannedRegistry> probed, List<PlannedRegistry> restarting) implements Provision {
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

    record StopContainer(String container) implements Teardown {
    }

    record RemoveContainer(String container) implements Teardown {
    }

    record RemoveVolume(String volume) implements Teardown {
    }

    record Disconnect(String network, String container) implements Teardown {
    }

    record DeleteCluster(String cluster) implements Teardown {
    }

    record RemoveNetwork(String network) implements Teardown {
    }
}
