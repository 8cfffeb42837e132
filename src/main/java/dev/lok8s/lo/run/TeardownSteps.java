package dev.lok8s.lo.run;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.events.ClusterDeleted;
import dev.lok8s.lo.events.NetworkRemoved;
import dev.lok8s.lo.events.NetworkScope;
import dev.lok8s.lo.events.NodeDisconnected;
import dev.lok8s.lo.events.RegistryRemoved;
import dev.lok8s.lo.events.RegistryStopped;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The effect of each teardown step (see {@link dev.lok8s.lo.plan.TeardownPlan}), mirroring
 * {@link ProvisionSteps}: each inspects first, acts only on what lo created (label
 * {@link Labels#MANAGED_BY}=lo), and reports stopped / removed, or unchanged when the target was
 * already so. Where the log still records something Docker no longer has, the step records its
 * removal so the log agrees with the machine again.
 */
public final class TeardownSteps {

    private final RegistryPlan plan;
    private final ContainerEngine engine;
    private final KindExecutable kind;
    private final KnownState known;
    private final boolean force;
    private final Consumer<String> output;

    /** @param force disconnect other projects' nodes and foreign containers from the shared network */
    public TeardownSteps(RegistryPlan plan, ContainerEngine engine, KindExecutable kind, KnownState known,
                         boolean force, Consumer<String> output) {
        this.plan = plan;
        this.engine = engine;
        this.kind = kind;
        this.known = known;
        this.force = force;
        this.output = output;
    }

    public StepResult run(PlannedStep step) {
        return switch (step.kind()) {
            case STOP -> stop(step.target());
            case REMOVE_REGISTRY -> removeRegistry(step.target());
            case REMOVE_VOLUME -> removeVolume(step.target());
            case DISCONNECT -> disconnect(step.target());
            case DELETE_CLUSTER -> deleteCluster(step.target());
            case REMOVE_NETWORK -> removeNetwork(step.target());
            case CHECK_SUBNETS, NETWORK, IMAGE, TLS_CERT, REGISTRY, CERTS_DIR, CLUSTER, CONNECT, REGISTRY_DISCOVERY, VERIFY ->
                    throw new IllegalStateException("provision step " + step.id() + " in a teardown");
        };
    }

    private String projectStream() {
        return ProvisionSteps.projectStream(plan.project());
    }

    private boolean isShared(String network) {
        return plan.shared() && plan.sharedNetwork().name().equals(network);
    }

    private static boolean managedByLo(Map<String, String> labels) {
        return Labels.MANAGED_BY_LO.equals(labels.get(Labels.MANAGED_BY));
    }

    private static StepFailedException notOurs(String what, String name) {
        return StepFailedException.refused(what + " '" + name + "' was not created by lo (no label "
                + Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_LO + "): lo leaves it alone; remove it yourself if "
                + "it is yours");
    }

    // stop:<container>

    StepResult stop(String container) {
        Optional<ContainerInfo> found = engine.findContainer(container);
        if (found.isEmpty()) {
            return StepResult.unchanged(container + " absent");
        }
        if (!managedByLo(found.get().labels())) {
            throw notOurs("container", container);
        }
        if (!found.get().upOrRestarting()) {
            return StepResult.unchanged(container + " already stopped");
        }
        engine.stopContainer(container);
        return StepResult.of(StepOutcome.stopped, container + " stopped",
                new Effect(streamOf(found.get()), new RegistryStopped(plan.domain(), plan.project(), container)));
    }

    /** The stream a registry's events go to: its shared network's, or the project's. */
    private String streamOf(ContainerInfo container) {
        if (Scope.SHARED.label().equals(container.labels().get(Labels.SCOPE))) {
            String network = plan.shared() && container.networks().containsKey(plan.sharedNetwork().name())
                    ? plan.sharedNetwork().name()
                    : container.networks().keySet().stream().sorted().findFirst().orElse(plan.projectNetwork().name());
            return ProvisionSteps.networkStream(network);
        }
        return projectStream();
    }

    // remove-registry:<container>

    StepResult removeRegistry(String container) {
        Optional<ContainerInfo> found = engine.findContainer(container);
        if (found.isEmpty()) {
            if (known.registries().contains(container)) {
                // The log still has it running: record that it is gone.
                String stream = plannedStream(container);
                return StepResult.of(StepOutcome.unchanged, container + " already gone",
                        new Effect(stream, new RegistryRemoved(plan.domain(), plan.project(), container)));
            }
            return StepResult.unchanged(container + " already gone");
        }
        if (!managedByLo(found.get().labels())) {
            throw notOurs("container", container);
        }
        String stream = streamOf(found.get());
        engine.removeContainer(container);
        return StepResult.of(StepOutcome.removed, container + " removed",
                new Effect(stream, new RegistryRemoved(plan.domain(), plan.project(), container)));
    }

    private String plannedStream(String container) {
        return plan.registries().stream().filter(r -> r.container().equals(container) && r.isMirror() && plan.shared())
                .findFirst().map(r -> ProvisionSteps.networkStream(r.network())).orElse(projectStream());
    }

    // remove-volume:<volume>

    StepResult removeVolume(String volume) {
        if (!engine.volumeExists(volume)) {
            return StepResult.unchanged(volume + " already gone");
        }
        if (!engine.listVolumes(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_LO)).contains(volume)) {
            throw notOurs("volume", volume);
        }
        engine.removeVolume(volume);
        return StepResult.of(StepOutcome.removed, volume + " removed");
    }

    // disconnect:<shared network>

    /** A container attached to a network that lo would have to disconnect before removing it. */
    public record Attached(String container, String cluster) {
        @Override
        public String toString() {
            return cluster == null ? "container " + container : "node " + container + " (kind cluster " + cluster + ")";
        }
    }

    /**
     * Containers on {@code network} that belong to neither lo's shared mirrors nor this project's kind
     * cluster: other projects' nodes and anything else.
     */
    public static List<Attached> foreignAttachments(ContainerEngine engine, String network, String ownCluster) {
        List<Attached> foreign = new ArrayList<>();
        Optional<NetworkInfo> info = engine.findNetwork(network);
        if (info.isEmpty()) {
            return foreign;
        }
        for (String name : info.get().containers().keySet().stream().sorted().toList()) {
            Map<String, String> labels = engine.findContainer(name).map(ContainerInfo::labels).orElse(Map.of());
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
        return managedByLo(labels) && Role.MIRROR.label().equals(labels.get(Labels.ROLE))
                && Scope.SHARED.label().equals(labels.get(Labels.SCOPE));
    }

    /** The refusal when other projects or containers use the shared network and --force was not given. */
    public static String inUseMessage(String network, List<Attached> attached, String domain) {
        return "error: shared network '" + network + "' is in use by " + String.join(", ",
                attached.stream().map(Attached::toString).toList())
                + "\nfix: destroy those projects first (lo destroy <domain>), or rerun with --force to disconnect them:"
                + " lo registry clean " + domain + " --shared --force";
    }

    StepResult disconnect(String network) {
        Optional<NetworkInfo> info = engine.findNetwork(network);
        if (info.isEmpty()) {
            return StepResult.unchanged(network + " absent");
        }
        List<Attached> foreign = foreignAttachments(engine, network, plan.clusterName());
        if (!foreign.isEmpty() && !force) {
            throw StepFailedException.refused(inUseMessage(network, foreign, plan.domain()));
        }
        List<Effect> effects = new ArrayList<>();
        String stream = isShared(network) ? ProvisionSteps.networkStream(network) : projectStream();
        for (String name : info.get().containers().keySet().stream().sorted().toList()) {
            Map<String, String> labels = engine.findContainer(name).map(ContainerInfo::labels).orElse(Map.of());
            if (isSharedMirror(labels)) {
                continue; // removed by its own step
            }
            engine.disconnect(network, name, true);
            output.accept("disconnected " + name + " from " + network);
            String project = labels.getOrDefault(KindExecutable.CLUSTER_LABEL, null);
            effects.add(new Effect(stream, new NodeDisconnected(plan.domain(), project, name, network)));
        }
        if (effects.isEmpty()) {
            return StepResult.unchanged("nothing else attached to " + network);
        }
        return new StepResult(StepOutcome.removed, effects, effects.size() + " container(s) disconnected from "
                + network, List.of());
    }

    // delete-cluster:<name>

    StepResult deleteCluster(String cluster) {
        // kind's clusters are its labelled node containers: none means no cluster, and no need for kind.
        boolean exists = !engine.listContainers(Map.of(KindExecutable.CLUSTER_LABEL, cluster)).isEmpty();
        ClusterDeleted deleted = new ClusterDeleted(plan.domain(), plan.project(), cluster);
        if (!exists) {
            return known.clusters().contains(cluster)
                    ? StepResult.of(StepOutcome.unchanged, "kind cluster " + cluster + " already gone",
                    new Effect(projectStream(), deleted))
                    : StepResult.unchanged("kind cluster " + cluster + " absent");
        }
        kind.deleteCluster(cluster, output);
        return StepResult.of(StepOutcome.removed, "kind cluster " + cluster + " deleted",
                new Effect(projectStream(), deleted));
    }

    // remove-network:<name>

    StepResult removeNetwork(String network) {
        boolean shared = isShared(network);
        String stream = shared ? ProvisionSteps.networkStream(network) : projectStream();
        NetworkRemoved removed = new NetworkRemoved(plan.domain(), plan.project(), network,
                shared ? NetworkScope.shared : NetworkScope.project);
        Optional<NetworkInfo> info = engine.findNetwork(network);
        if (info.isEmpty()) {
            return known.networkUsers().containsKey(network)
                    ? StepResult.of(StepOutcome.unchanged, network + " already gone", new Effect(stream, removed))
                    : StepResult.unchanged(network + " already gone");
        }
        if (!managedByLo(info.get().labels())) {
            return new StepResult(StepOutcome.unchanged, List.of(), network + " kept",
                    List.of("network " + network + " was not created by lo: left in place"));
        }
        if (!info.get().containers().isEmpty()) {
            return new StepResult(StepOutcome.unchanged, List.of(), network + " kept",
                    List.of("network " + network + " kept: still attached: "
                            + String.join(", ", info.get().containers().keySet().stream().sorted().toList())));
        }
        engine.removeNetwork(network);
        return StepResult.of(StepOutcome.removed, network + " removed", new Effect(stream, removed));
    }
}
