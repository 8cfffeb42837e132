package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.events.ClusterDeleted;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.NodeDisconnected;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RegistryStopped;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.observe.MachineSnapshot;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.events.Streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The teardown's rules ({@code registry down}, {@code registry clean [--shared]}, {@code destroy}) as
 * one pure function of the plan, the log's knowledge and a snapshot: act only on what lo created,
 * report a target already stopped or gone as unchanged (recording its removal when the log still
 * has it), and refuse to clear a shared network other projects use unless forced.
 *
 * @param force disconnect other projects' nodes and foreign containers from the shared network
 */
public record TeardownRules(RegistryPlan plan, KnownState known, boolean force) {

    /** A container attached to a network that lo would have to disconnect before removing it. */
    public record Attached(String container, String cluster) {
        @Override
        public String toString() {
            return cluster == null ? "container " + container : "node " + container + " (kind cluster " + cluster + ")";
        }
    }

    public StepDecision<Change.Teardown> decide(PlannedStep step, MachineSnapshot snapshot) {
        return switch (step.kind()) {
            case STOP -> stop(step, snapshot);
            case REMOVE_REGISTRY -> removeRegistry(step, snapshot);
            case REMOVE_VOLUME -> removeVolume(step, snapshot);
            case DISCONNECT -> disconnect(step, snapshot);
            case DELETE_CLUSTER -> deleteCluster(step, snapshot);
            case REMOVE_NETWORK -> removeNetwork(step, snapshot);
            case CHECK_SUBNETS, NETWORK, IMAGE, TLS_CERT, REGISTRY, CERTS_DIR, CLUSTER, CONNECT, REGISTRY_DISCOVERY, VERIFY ->
                    throw new IllegalArgumentException("provision step " + step.id() + " in a teardown");
        };
    }

    private static StepDecision<Change.Teardown> unchanged(PlannedStep step, String reason) {
        return StepDecision.of(step, StepOutcome.unchanged, Action.unchanged(step.target(), reason));
    }

    private static StepDecision<Change.Teardown> notOurs(PlannedStep step, String what) {
        return StepDecision.of(step, StepOutcome.unchanged, Action.refuse(step.target(), Reason.of(what + " '"
                + step.target() + "' was not created by lo (no label " + Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_LO
                + "): lo leaves it alone; remove it yourself if it is yours")));
    }

    // stop:<container>

    private StepDecision<Change.Teardown> stop(PlannedStep step, MachineSnapshot snapshot) {
        String name = step.target();
        Optional<ContainerInfo> found = snapshot.container(name);
        if (found.isEmpty()) {
            return unchanged(step, name + " absent");
        }
        if (!ProvisionRules.ownedByLo(found.get().labels())) {
            return notOurs(step, "container");
        }
        if (!found.get().upOrRestarting()) {
            return unchanged(step, name + " already stopped");
        }
        return StepDecision.of(step, StepOutcome.stopped, new Action.Proceed<>(Verb.STOP, name, name + " stopped",
                new Change.StopContainer(name), List.of(new Effect(streamOf(found.get()),
                new RegistryStopped(plan.domain(), plan.project(), name)))));
    }

    // remove-registry:<container>

    private StepDecision<Change.Teardown> removeRegistry(PlannedStep step, MachineSnapshot snapshot) {
        String name = step.target();
        Optional<ContainerInfo> found = snapshot.container(name);
        RegistryRemoved removed = new RegistryRemoved(plan.domain(), plan.project(), name);
        if (found.isEmpty()) {
            if (known.registries().contains(name)) {
                // The log still has it running: record that it is gone.
                return StepDecision.of(step, StepOutcome.unchanged, new Action.Proceed<>(Verb.UNCHANGED, name,
                        name + " already gone", null, List.of(new Effect(plannedStream(name), removed))));
            }
            return unchanged(step, name + " already gone");
        }
        if (!ProvisionRules.ownedByLo(found.get().labels())) {
            return notOurs(step, "container");
        }
        return StepDecision.of(step, StepOutcome.removed, new Action.Proceed<>(Verb.REMOVE, name, name + " removed",
                new Change.RemoveContainer(name), List.of(new Effect(streamOf(found.get()), removed))));
    }

    // remove-volume:<volume>

    private StepDecision<Change.Teardown> removeVolume(PlannedStep step, MachineSnapshot snapshot) {
        String volume = step.target();
        if (!snapshot.volumes().contains(volume)) {
            return unchanged(step, volume + " already gone");
        }
        if (!snapshot.ownedVolumes().contains(volume)) {
            return notOurs(step, "volume");
        }
        return StepDecision.of(step, StepOutcome.removed, new Action.Proceed<>(Verb.REMOVE, volume, volume + " removed",
                new Change.RemoveVolume(volume), List.of()));
    }

    // disconnect:<shared network>

    /**
     * Containers on {@code network} that belong to neither lo's shared mirrors nor this project's kind
     * cluster: other projects' nodes and anything else. What {@code clean --shared} refuses over.
     */
    public static List<Attached> foreignAttachments(MachineSnapshot snapshot, String network, String ownCluster) {
        List<Attached> foreign = new ArrayList<>();
        Optional<NetworkInfo> info = snapshot.network(network);
        if (info.isEmpty()) {
            return foreign;
        }
        for (String name : info.get().containers().keySet().stream().sorted().toList()) {
            Map<String, String> labels = snapshot.container(name).map(ContainerInfo::labels).orElse(Map.of());
            if (isSharedMirror(labels)) {
                continue;
            }
            String cluster = labels.get(KindExecutable.CLUSTER_LABEL);
            if (cluster != null && cluster.equals(ownCluster)) {
                continue;
            }
            foreign.add(new Attached(name, cluster));
        }
        return foreign;
    }

    static boolean isSharedMirror(Map<String, String> labels) {
        return ProvisionRules.ownedByLo(labels) && Role.MIRROR.label().equals(labels.get(Labels.ROLE))
                && Scope.SHARED.label().equals(labels.get(Labels.SCOPE));
    }

    /** The refusal when other projects or containers use the shared network and --force was not given. */
    public static Reason inUse(String network, List<Attached> attached, String domain) {
        return Reason.of("shared network '" + network + "' is in use by " + String.join(", ",
                        attached.stream().map(Attached::toString).toList()),
                "destroy those projects first (lo destroy <domain>), or rerun with --force to disconnect them:"
                        + " lo registry clean " + domain + " --shared --force");
    }

    private StepDecision<Change.Teardown> disconnect(PlannedStep step, MachineSnapshot snapshot) {
        String network = step.target();
        Optional<NetworkInfo> info = snapshot.network(network);
        if (info.isEmpty()) {
            return unchanged(step, network + " absent");
        }
        List<Attached> foreign = foreignAttachments(snapshot, network, plan.clusterName());
        if (!foreign.isEmpty() && !force) {
            return StepDecision.of(step, StepOutcome.unchanged,
                    Action.refuse(network, inUse(network, foreign, plan.domain())));
        }
        String stream = isShared(network) ? Streams.network(network) : Streams.project(plan.project());
        List<Action<Change.Teardown>> actions = new ArrayList<>();
        for (String name : info.get().containers().keySet().stream().sorted().toList()) {
            Map<String, String> labels = snapshot.container(name).map(ContainerInfo::labels).orElse(Map.of());
            if (isSharedMirror(labels)) {
                continue; // removed by its own step
            }
            actions.add(new Action.Proceed<>(Verb.DISCONNECT, name, "disconnected " + name + " from " + network,
                    new Change.Disconnect(network, name), List.of(new Effect(stream, new NodeDisconnected(plan.domain(),
                    labels.get(KindExecutable.CLUSTER_LABEL), name, network)))));
        }
        if (actions.isEmpty()) {
            return unchanged(step, "nothing else attached to " + network);
        }
        return new StepDecision<>(step, StepOutcome.removed, actions, List.of());
    }

    // delete-cluster:<name>

    private StepDecision<Change.Teardown> deleteCluster(PlannedStep step, MachineSnapshot snapshot) {
        String cluster = step.target();
        // kind's clusters are its labelled node containers: none means no cluster, and no need for kind.
        boolean exists = !snapshot.nodes(cluster).isEmpty();
        Effect deleted = new Effect(Streams.project(plan.project()),
                new ClusterDeleted(plan.domain(), plan.project(), cluster));
        if (!exists) {
            return known.clusters().contains(cluster)
                    ? StepDecision.of(step, StepOutcome.unchanged, new Action.Proceed<>(Verb.UNCHANGED, cluster,
                    "kind cluster " + cluster + " already gone", null, List.of(deleted)))
                    : unchanged(step, "kind cluster " + cluster + " absent");
        }
        return StepDecision.of(step, StepOutcome.removed, new Action.Proceed<>(Verb.REMOVE, cluster,
                "kind cluster " + cluster + " deleted", new Change.DeleteCluster(cluster), List.of(deleted)));
    }

    // remove-network:<name>

    private StepDecision<Change.Teardown> removeNetwork(PlannedStep step, MachineSnapshot snapshot) {
        String network = step.target();
        boolean shared = isShared(network);
        Effect removed = new Effect(shared ? Streams.network(network) : Streams.project(plan.project()),
                new NetworkRemoved(plan.domain(), plan.project(), network,
                        shared ? Scope.SHARED : Scope.PROJECT));
        Optional<NetworkInfo> info = snapshot.network(network);
        if (info.isEmpty()) {
            return known.networkUsers().containsKey(network)
                    ? StepDecision.of(step, StepOutcome.unchanged, new Action.Proceed<>(Verb.UNCHANGED, network,
                    network + " already gone", null, List.of(removed)))
                    : unchanged(step, network + " already gone");
        }
        if (!ProvisionRules.ownedByLo(info.get().labels())) {
            return new StepDecision<>(step, StepOutcome.unchanged, List.of(Action.unchanged(network, network + " kept")),
                    List.of("network " + network + " was not created by lo: left in place"));
        }
        if (!info.get().containers().isEmpty()) {
            return new StepDecision<>(step, StepOutcome.unchanged, List.of(Action.unchanged(network, network + " kept")),
                    List.of("network " + network + " kept: still attached: "
                            + String.join(", ", info.get().containers().keySet().stream().sorted().toList())));
        }
        return StepDecision.of(step, StepOutcome.removed, new Action.Proceed<>(Verb.REMOVE, network, network + " removed",
                new Change.RemoveNetwork(network), List.of(removed)));
    }

    private boolean isShared(String network) {
        return plan.shared() && plan.sharedNetwork().name().equals(network);
    }

    /** The stream a registry's events go to: its shared network's, or the project's. */
    private String streamOf(ContainerInfo container) {
        if (Scope.SHARED.label().equals(container.labels().get(Labels.SCOPE))) {
            String network = plan.shared() && container.networks().containsKey(plan.sharedNetwork().name())
                    ? plan.sharedNetwork().name()
                    : container.networks().keySet().stream().sorted().findFirst().orElse(plan.projectNetwork().name());
            return Streams.network(network);
        }
        return Streams.project(plan.project());
    }

    private String plannedStream(String container) {
        return plan.registries().stream().filter(r -> r.container().equals(container) && r.isMirror() && plan.shared())
                .findFirst().map(r -> Streams.network(r.network())).orElse(Streams.project(plan.project()));
    }
}
