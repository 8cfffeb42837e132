package dev.lok8s.lo.run;

import dev.lok8s.lo.containerd.CertsDirWriter;
import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.engine.ResourceConflictException;
import dev.lok8s.lo.events.CertsDirWritten;
import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.NetworkScope;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The effect of each kind of plan step on the machine, written as ensure-operations: each
 * inspects first, acts only when the machine differs from the plan, and reports what it did
 * (created, adopted, unchanged, replaced) with the events that record it.
 */
public final class ProvisionSteps {

    private final RegistryPlan plan;
    private final ContainerEngine engine;
    private final KindExecutable kind;
    private final CertsDirWriter certsDirWriter;
    private final KnownState known;
    private final RegistryProbe probe;
    private final Consumer<String> output;
    private final RegistryTls tls;
    /** Containers this run created, replaced or started: verification waits only for these. */
    private final java.util.Set<String> startedThisRun = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Containers found restarting and left as they are: the engine's restart policy owns them. */
    private final java.util.Set<String> restartingUnchanged = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ProvisionSteps(RegistryPlan plan, ContainerEngine engine, KindExecutable kind, CertsDirWriter certsDirWriter,
                          KnownState known, RegistryProbe probe, Consumer<String> output, RegistryTls tls) {
        this.plan = plan;
        this.engine = engine;
        this.kind = kind;
        this.certsDirWriter = certsDirWriter;
        this.known = known;
        this.probe = probe;
        this.output = output;
        this.tls = tls;
    }

    public static String projectStream(String project) {
        return "project-" + project;
    }

    public static String networkStream(String network) {
        return "network-" + network;
    }

    private String projectStream() {
        return projectStream(plan.project());
    }

    public StepResult run(PlannedStep step) {
        return switch (step.kind()) {
            case CHECK_SUBNETS -> checkSubnets();
            case NETWORK -> ensureNetwork(network(step.target()));
            case IMAGE -> ensureImage();
            case TLS_CERT -> tlsCert();
            case REGISTRY -> {
                PlannedRegistry registry = registryByContainer(step.target());
                StepResult result = ensureRegistry(registry);
                if (result.outcome() != StepOutcome.unchanged) {
                    startedThisRun.add(registry.container());
                }
                yield result;
            }
            case CERTS_DIR -> writeCertsDir();
            case CLUSTER -> ensureCluster();
            case CONNECT -> connectNodes(network(step.target()));
            case REGISTRY_DISCOVERY -> publishRegistries();
            case VERIFY -> verify();
            case STOP, REMOVE_REGISTRY, REMOVE_VOLUME, DISCONNECT, DELETE_CLUSTER, REMOVE_NETWORK ->
                    throw new IllegalStateException("teardown step " + step.id() + " in a provision (see TeardownSteps)");
        };
    }

    private PlannedNetwork network(String name) {
        return plan.networks().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("plan has no network " + name));
    }

    private PlannedRegistry registryByContainer(String container) {
        return plan.registries().stream().filter(r -> r.container().equals(container)).findFirst()
                .orElseThrow(() -> new IllegalStateException("plan has no registry container " + container));
    }

    private static NetworkScope scope(PlannedNetwork network) {
        return network.scope() == Scope.SHARED ? NetworkScope.shared : NetworkScope.project;
    }

    private String streamOf(PlannedNetwork network) {
        return network.scope() == Scope.SHARED ? networkStream(network.name()) : projectStream();
    }

    // check-subnets: every planned network that already exists must have the planned subnet.

    StepResult checkSubnets() {
        for (PlannedNetwork network : plan.networks()) {
            Optional<NetworkInfo> existing = engine.findNetwork(network.name());
            if (existing.isEmpty() || Objects.equals(existing.get().subnet(), network.cidr())) {
                continue;
            }
            NetworkInfo found = existing.get();
            if (network.scope() == Scope.SHARED) {
                throw StepFailedException.refused(SubnetMessages.sharedMismatch(network.name(), found.subnet(),
                        network.cidr(), plan.domain()));
            }
            if (!found.containers().isEmpty() || !Labels.MANAGED_BY_LO.equals(found.labels().get(Labels.MANAGED_BY))) {
                throw StepFailedException.refused(SubnetMessages.projectMismatch(network.name(), found.subnet(),
                        network.cidr(), found.containers().keySet(), plan.domain()));
            }
        }
        return StepResult.unchanged("subnets match");
    }

    // network:<name>

    StepResult ensureNetwork(PlannedNetwork network) {
        Optional<NetworkInfo> existing = engine.findNetwork(network.name());
        if (existing.isPresent() && !Objects.equals(existing.get().subnet(), network.cidr())) {
            NetworkInfo found = existing.get();
            if (network.scope() == Scope.PROJECT && found.containers().isEmpty()
                    && Labels.MANAGED_BY_LO.equals(found.labels().get(Labels.MANAGED_BY))) {
                // Our own empty project network from an older spec: nothing depends on it, recreate.
                engine.removeNetwork(network.name());
                create(network);
                return StepResult.of(StepOutcome.replaced, network.name() + " " + found.subnet() + " -> " + network.cidr(),
                        new Effect(streamOf(network), new NetworkCreated(plan.domain(), plan.project(), network.name(),
                                network.cidr(), scope(network))));
            }
            throw StepFailedException.refused(network.scope() == Scope.SHARED
                    ? SubnetMessages.sharedMismatch(network.name(), found.subnet(), network.cidr(), plan.domain())
                    : SubnetMessages.projectMismatch(network.name(), found.subnet(), network.cidr(),
                            found.containers().keySet(), plan.domain()));
        }
        if (existing.isPresent()) {
            return adoptedOrUnchanged(network);
        }
        try {
            create(network);
        } catch (ResourceConflictException e) {
            // Another lo process (another project) created it a moment ago: adopt it if it matches.
            Optional<NetworkInfo> raced = engine.findNetwork(network.name());
            if (raced.isPresent() && Objects.equals(raced.get().subnet(), network.cidr())) {
                return adoptedOrUnchanged(network);
            }
            throw new StepFailedException("cannot create network '" + network.name() + "' (" + network.cidr() + "): "
                    + e.getMessage(), e);
        }
        return StepResult.of(StepOutcome.created, network.name() + " " + network.cidr(),
                new Effect(streamOf(network), new NetworkCreated(plan.domain(), plan.project(), network.name(),
                        network.cidr(), scope(network))));
    }

    private void create(PlannedNetwork network) {
        engine.createNetwork(new NetworkDefinition(network.name(), network.cidr(), network.gateway(),
                network.dynamicRange(), network.labels()));
    }

    private StepResult adoptedOrUnchanged(PlannedNetwork network) {
        if (known.networkUsedBy(network.name(), plan.project())) {
            return StepResult.unchanged(network.name() + " " + network.cidr());
        }
        return StepResult.of(StepOutcome.adopted, network.name() + " " + network.cidr(),
                new Effect(streamOf(network), new NetworkAdopted(plan.domain(), plan.project(), network.name(),
                        network.cidr(), scope(network))));
    }

    // image:<image>

    StepResult ensureImage() {
        if (engine.imagePresent(plan.image())) {
            return StepResult.unchanged(plan.image() + " present");
        }
        output.accept("pulling " + plan.image());
        engine.pullImage(plan.image(), output);
        return StepResult.of(StepOutcome.created, plan.image() + " pulled");
    }

    // tls-cert

    StepResult tlsCert() {
        return Objects.requireNonNull(tls, "TLS is on but the CA was not checked").ensureCertificate();
    }

    // registry:<container>

    StepResult ensureRegistry(PlannedRegistry registry) {
        Optional<ContainerInfo> existing = engine.findContainer(registry.container());
        if (existing.isPresent()) {
            ContainerInfo container = existing.get();
            if (!Labels.MANAGED_BY_LO.equals(container.labels().get(Labels.MANAGED_BY))) {
                throw StepFailedException.refused("container name '" + registry.container()
                        + "' is taken by a container lo did not create (image " + container.image()
                        + "): remove or rename it (docker rm -f " + registry.container() + "), then rerun lo provision");
            }
            boolean sameConfig = registry.configHash().equals(container.labels().get(Labels.CONFIG_HASH))
                    && Objects.equals(certFingerprint(), container.labels().get(CERT_LABEL))
                    && plan.image().equals(container.image())
                    && registry.ip().equals(container.networks().get(registry.network()));
            if (sameConfig && container.upOrRestarting()) {
                if (!container.running()) {
                    restartingUnchanged.add(registry.container());
                }
                return known.registries().contains(registry.container())
                        ? StepResult.unchanged(registry.container() + " " + registry.ip())
                        : StepResult.of(StepOutcome.adopted, registry.container() + " " + registry.ip(), started(registry));
            }
            if (sameConfig) {
                try {
                    engine.startContainer(registry.container());
                } catch (dev.lok8s.lo.engine.EngineException e) {
                    // The engine's restart policy may have restarted it between our look and our start.
                    if (engine.findContainer(registry.container()).filter(ContainerInfo::upOrRestarting).isEmpty()) {
                        throw e;
                    }
                }
                return StepResult.of(StepOutcome.replaced, registry.container() + " started again", started(registry));
            }
            engine.removeContainer(registry.container());
            runRegistry(registry);
            return StepResult.of(StepOutcome.replaced, registry.container() + " recreated with the planned config",
                    started(registry));
        }
        refuseForeignAddress(registry);
        runRegistry(registry);
        return StepResult.of(StepOutcome.created, registry.container() + " " + registry.ip(), started(registry));
    }

    private void refuseForeignAddress(PlannedRegistry registry) {
        engine.findNetwork(registry.network()).ifPresent(network -> network.containers().forEach((name, ip) -> {
            if (registry.ip().equals(ip) && !name.equals(registry.container())) {
                throw StepFailedException.refused("address " + ip + " on network '" + registry.network()
                        + "' is taken by container '" + name + "', but the plan puts " + registry.container()
                        + " there: remove that container or disconnect it (docker network disconnect "
                        + registry.network() + " " + name + ")");
            }
        }));
    }

    private void runRegistry(PlannedRegistry registry) {
        if (!engine.volumeExists(registry.volume())) {
            engine.createVolume(registry.volume(), registry.volumeLabels());
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(PlannedRegistry.CONFIG_PATH, registry.config().getBytes(StandardCharsets.UTF_8));
        if (plan.tls()) {
            RegistryTls material = Objects.requireNonNull(tls, "TLS material");
            files.put(PlannedRegistry.TLS_CERT_PATH, material.certPem().getBytes(StandardCharsets.UTF_8));
            files.put(PlannedRegistry.TLS_KEY_PATH, material.keyPem().getBytes(StandardCharsets.UTF_8));
        }
        try {
            Map<String, String> labels = new LinkedHashMap<>(registry.labels());
            if (plan.tls()) {
                labels.put(CERT_LABEL, certFingerprint());
            }
            engine.runContainer(new ContainerDefinition(registry.container(), plan.image(), registry.network(),
                    registry.ip(), labels, Map.of(registry.volume(), PlannedRegistry.DATA_DIR), files, List.of()));
        } catch (ResourceConflictException e) {
            // A concurrent provision of another project may have started the same shared mirror.
            Optional<ContainerInfo> raced = engine.findContainer(registry.container());
            if (raced.isPresent() && registry.configHash().equals(raced.get().labels().get(Labels.CONFIG_HASH))) {
                return;
            }
            throw StepFailedException.refused(e.getMessage());
        }
    }

    private Effect started(PlannedRegistry registry) {
        if (registry.role() == Role.MIRROR) {
            boolean shared = plan.shared();
            return new Effect(shared ? networkStream(registry.network()) : projectStream(),
                    new MirrorStarted(plan.domain(), plan.project(), registry.container(), registry.name(),
                            shared ? NetworkScope.shared : NetworkScope.project, registry.network(), registry.ip(),
                            plan.image(), registry.configHash(), registry.upstream()));
        }
        return new Effect(projectStream(), new RegistryStarted(plan.domain(), plan.project(), registry.container(),
                registry.role().name().toLowerCase(java.util.Locale.ROOT), registry.network(), registry.ip(),
                plan.image(), registry.configHash()));
    }

    /** On TLS registry containers: which certificate they serve, so a re-issued one replaces them. */
    static final String CERT_LABEL = "dev.lok8s.cert-sha256";

    private String certFingerprint() {
        return plan.tls() ? dev.lok8s.lo.plan.Sha256.hex(tls.certPem()) : null;
    }

    // certs-dir

    StepResult writeCertsDir() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        plan.certsFiles().forEach((path, content) -> files.put(path, content.getBytes(StandardCharsets.UTF_8)));
        if (plan.tls()) {
            files.put(RegistryTls.CA_FILE, Objects.requireNonNull(tls, "TLS material").caPem()
                    .getBytes(StandardCharsets.UTF_8));
        }
        CertsDirWriter.Result result = certsDirWriter.write(Path.of(plan.certsDir()), files);
        if (!result.changed()) {
            return StepResult.unchanged(result.unchanged().size() + " files up to date");
        }
        List<String> all = new ArrayList<>(files.keySet());
        return StepResult.of(result.written().size() == files.size() ? StepOutcome.created : StepOutcome.replaced,
                result.written().size() + " written, " + result.removed().size() + " removed",
                new Effect(projectStream(), new CertsDirWritten(plan.domain(), plan.project(), plan.certsDir(), all)));
    }

    // cluster:<name>

    StepResult ensureCluster() {
        if (kind.clusters().contains(plan.clusterName())) {
            if (known.clusters().contains(plan.clusterName())) {
                return StepResult.unchanged("kind cluster " + plan.clusterName() + " exists");
            }
            return StepResult.of(StepOutcome.adopted, "kind cluster " + plan.clusterName() + " exists",
                    new Effect(projectStream(), new ClusterCreated(plan.domain(), plan.project(), plan.clusterName(),
                            nodeNames())));
        }
        kind.createCluster(plan.clusterName(), plan.kindConfig(), plan.projectNetwork().name(), output);
        return StepResult.of(StepOutcome.created, "kind cluster " + plan.clusterName(),
                new Effect(projectStream(), new ClusterCreated(plan.domain(), plan.project(), plan.clusterName(),
                        nodeNames())));
    }

    private List<ContainerInfo> nodes() {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(KindExecutable.CLUSTER_LABEL, plan.clusterName());
        return engine.listContainers(selector);
    }

    private List<String> nodeNames() {
        return nodes().stream().map(ContainerInfo::name).sorted().toList();
    }

    // connect:<shared network>

    StepResult connectNodes(PlannedNetwork network) {
        List<ContainerInfo> nodes = nodes();
        if (nodes.isEmpty()) {
            throw new StepFailedException("kind cluster '" + plan.clusterName() + "' has no node containers (label "
                    + KindExecutable.CLUSTER_LABEL + "=" + plan.clusterName() + "): delete it (kind delete cluster --name "
                    + plan.clusterName() + ") and rerun lo provision", false);
        }
        List<Effect> effects = new ArrayList<>();
        for (ContainerInfo node : nodes) {
            if (node.networks().containsKey(network.name())) {
                continue;
            }
            engine.connect(network.name(), node.name(), null);
            String ip = engine.findContainer(node.name()).map(c -> c.networks().get(network.name())).orElse(null);
            effects.add(new Effect(projectStream(), new NodeConnected(plan.domain(), plan.project(), node.name(),
                    network.name(), ip)));
        }
        if (effects.isEmpty()) {
            return StepResult.unchanged(nodes.size() + " node(s) already on " + network.name());
        }
        return new StepResult(StepOutcome.created, effects, effects.size() + " node(s) connected to "
                + network.name(), List.of());
    }

    // registry-discovery:<cluster>: the ConfigMaps of kube/ClusterRegistries, through the cluster's kubeconfig

    StepResult publishRegistries() {
        if (!dev.lok8s.lo.kube.ClusterRegistries.enabled()) {
            return StepResult.unchanged("turned off (lo.registry-discovery=false)");
        }
        var publication = dev.lok8s.lo.kube.ClusterRegistries.ensure(plan, kind.kubeconfig(plan.clusterName()));
        return publication.event() == null ? StepResult.unchanged(publication.detail())
                : StepResult.of(publication.outcome(), publication.detail(),
                        new Effect(projectStream(), publication.event()));
    }

    // verify

    StepResult verify() {
        List<String> warnings = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        // A mirror already restarting before this run has nothing listening: asking it would only
        // wait out a connect timeout. It is reported as it is.
        List<PlannedRegistry> probed = new ArrayList<>();
        for (PlannedRegistry registry : plan.registries()) {
            if (registry.role() == Role.MIRROR && restartingUnchanged.contains(registry.container())) {
                warnings.add("mirror " + registry.container() + " (" + registry.ip() + ") keeps restarting: a "
                        + "pull-through registry exits while its upstream " + registry.upstream()
                        + " does not answer (docker logs " + registry.container() + ")");
            } else {
                probed.add(registry);
            }
        }
        Map<PlannedRegistry, RegistryProbe.Answer> answers = probe.probeAll(probed,
                tls == null ? null : tls.caPem(), r -> startedThisRun.contains(r.container()));
        answers.forEach((registry, answer) -> {
            if (answer.ok()) {
                return;
            }
            if (registry.role() == Role.MIRROR) {
                warnings.add("mirror " + registry.container() + " (" + registry.ip() + ") does not answer on "
                        + registry.url() + " (" + answer.error() + "): a pull-through registry only listens once its "
                        + "upstream " + registry.upstream() + " answers");
            } else {
                failures.add(registry.container() + " (" + registry.ip() + ") does not answer on " + registry.url()
                        + " (" + answer.error() + "); its last log lines:\n"
                        + indent(engine.logs(registry.container(), 15)));
            }
        });
        if (!failures.isEmpty()) {
            throw new StepFailedException(String.join("\n", failures), false);
        }
        long ok = answers.values().stream().filter(RegistryProbe.Answer::ok).count();
        return new StepResult(StepOutcome.unchanged, List.of(), ok + "/" + plan.registries().size() + " registries answer",
                warnings);
    }

    private static String indent(String text) {
        return text.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("    (no output)");
    }
}
