package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.retry.Backoff;
import dev.lok8s.lo.retry.Retry;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.RegistryConfigYaml;
import dev.lok8s.lo.upstream.MirrorUpstream;
import dev.lok8s.lo.upstream.UpstreamLogin;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.containerd.CertsDirWriter;
import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineException;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.engine.PublishedPort;
import dev.lok8s.lo.engine.ResourceConflictException;
import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.kube.ClusterRegistries;
import dev.lok8s.lo.kube.RegistryHosting;
import dev.lok8s.lo.events.ClusterRegistriesPublished;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.observe.MachineSnapshot;
import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Sha256;
import dev.lok8s.lo.events.Streams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The act part of a provision: carries out one decided change at a time against the engine, kind and
 * the disk, keeps the run's snapshot up to date with what it did, and reports what it observed
 * ({@link Acted}). It decides nothing: what a step must do, and what follows from what it found, are
 * {@link ProvisionRules}' (through {@link ProvisionSteps}). Safe to call from several threads for
 * independent steps.
 */
public final class EngineActions {

    private final RegistryPlan plan;
    private final Map<String, MirrorUpstream> upstreams;
    private final ContainerEngine engine;
    private final KindExecutable kind;
    private final CertsDirWriter certsDirWriter;
    private final RegistryProbe probe;
    private final RegistryTls tls;
    private final Consumer<String> output;
    /** The machine as this run has changed it so far. */
    private final RunSnapshot machine;

    /**
     * @param upstreams each mirror's upstream as found before the run (its mode and login go into its
     *                  config and labels), by container
     */
    public EngineActions(RegistryPlan plan, Map<String, MirrorUpstream> upstreams, RunSnapshot machine,
                         ContainerEngine engine, KindExecutable kind, CertsDirWriter certsDirWriter,
                         RegistryProbe probe, RegistryTls tls, Consumer<String> output) {
        this.plan = plan;
        this.upstreams = Map.copyOf(upstreams);
        this.machine = machine;
        this.engine = engine;
        this.kind = kind;
        this.certsDirWriter = certsDirWriter;
        this.probe = probe;
        this.tls = tls;
        this.output = output;
    }

    /** Carries out the action's change (it has one) and reports what happened. */
    public Acted carryOut(Action<Change.Provision> action) {
        return switch (action.change()) {
            case Change.CreateNetwork c -> createNetwork(c.network(), false);
            case Change.RecreateNetwork c -> {
                engine.removeNetwork(c.network().name());
                update(s -> s.withoutNetwork(c.network().name()));
                yield createNetwork(c.network(), true);
            }
            case Change.PullImage c -> {
                output.accept("pulling " + c.image());
                engine.pullImage(c.image(), output);
                update(MachineSnapshot::withImagePresent);
                yield Acted.Done.asDecided();
            }
            case Change.IssueCertificate c -> {
                RegistryTls.Issued issued = Objects.requireNonNull(tls, "TLS material").issue();
                update(s -> s.withCertificate(issued.stored()));
                // decided as "issue: <why>", reported once done as "issued: <why>"
                yield new Acted.Done(List.of(issued.effect()), action.reason().replaceFirst("^issue: ", "issued: "),
                        null);
            }
            case Change.RunRegistry c -> runRegistry(c.registry(), c.createVolume());
            case Change.StartRegistry c -> {
                startRegistry(c.registry());
                yield Acted.Done.asDecided();
            }
            case Change.ReplaceRegistry c -> {
                engine.removeContainer(c.registry().container());
                update(s -> s.withoutContainer(c.registry().container()));
                yield runRegistry(c.registry(), c.createVolume());
            }
            case Change.WriteCertsDir c -> {
                Map<String, byte[]> bytes = new LinkedHashMap<>();
                c.files().forEach((path, content) -> bytes.put(path, content.getBytes(StandardCharsets.UTF_8)));
                certsDirWriter.write(Path.of(plan.certsDir()), bytes);
                update(s -> s.withCertsFiles(c.files()));
                yield Acted.Done.asDecided();
            }
            case Change.CreateCluster c -> Acted.Done.with(createCluster(c.cluster()));
            case Change.ConnectNode c -> Acted.Done.with(connect(c.network(), c.node()));
            case Change.PublishRegistries c -> {
                ClusterRegistries.Publication publication = publishRegistries(c.cluster());
                yield new Acted.Done(publication.event() == null ? List.of()
                        : List.of(new Effect(Streams.project(plan.project()), publication.event())),
                        publication.detail(), publication.outcome());
            }
            case Change.ProbeRegistries c -> {
                Set<String> started = machine.startedThisRun();
                yield new Acted.Probed(c, probe.probeAll(c.probed(), tls == null ? null : tls.caPem(),
                        r -> started.contains(r.container())));
            }
        };
    }

    /** Takes the network another process made as this run's (the rules adopted it). */
    public void adopt(NetworkInfo raced) {
        update(s -> s.withNetwork(raced));
    }

    /** Takes the registry container another process made as this run's (the rules adopted it). */
    public void adopt(ContainerInfo raced) {
        update(s -> s.withContainer(raced));
        machine.started(raced.name());
    }

    /** The registry container's last log lines, indented, for a failure that names them. */
    public String lastLogLines(PlannedRegistry registry) {
        return indent(engine.logs(registry.container(), 15));
    }

    /** Writes the registry ConfigMaps (reads them first): what it wrote, or that they were up to date. */
    private ClusterRegistries.Publication publishRegistries(String cluster) {
        ClusterRegistries.Publication publication = ClusterRegistries.ensure(plan, kind.kubeconfig(cluster));
        if (publication.event() != null) {
            return publication;
        }
        // Up to date already (the log did not know it): nothing changed, so the outcome says so; the data
        // found is recorded all the same (no ConfigMap written), so the next run knows without asking.
        List<RegistryHosting.DesiredConfigMap> desired = RegistryHosting.desired(plan);
        return new ClusterRegistries.Publication(StepOutcome.unchanged, publication.detail(),
                new ClusterRegistriesPublished(plan.domain(), plan.project(), cluster, List.of(),
                        ClusterRegistries.dataHash(desired)));
    }

    private void update(UnaryOperator<MachineSnapshot> change) {
        machine.update(change);
    }

    /** Creates the network; on a conflict, reports what has its name now. */
    private Acted createNetwork(PlannedNetwork network, boolean replacing) {
        try {
            NetworkInfo created = engine.createNetwork(new NetworkDefinition(network.name(), network.cidr(),
                    network.gateway(), network.dynamicRange(), network.labels()));
            update(s -> s.withNetwork(created));
            return Acted.Done.asDecided();
        } catch (ResourceConflictException e) {
            return new Acted.NetworkTaken(network, awaitRaced(() -> engine.findNetwork(network.name())), e, replacing);
        }
    }

    /**
     * What another process is creating under the same name. Docker reserves a network's subnet, and a
     * container's name, before the network or the container can be listed or inspected, so a run that loses
     * the race may be told "pool overlaps" or "name in use" while the winner's is not yet visible: look
     * again for a short while before calling it a conflict.
     */
    private static <T> Optional<T> awaitRaced(Supplier<Optional<T>> look) {
        try {
            return Retry.SYSTEM.poll(RACED_LOOKS, look::get, Optional::isPresent);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** 40 looks 50 ms apart: about two seconds for the winner's network or container to be listed. */
    private static final Backoff RACED_LOOKS = Backoff.fixed(Duration.ofMillis(50), 40);

    private Acted runRegistry(PlannedRegistry registry, boolean createVolume) {
        if (createVolume) {
            engine.createVolume(registry.volume(), registry.volumeLabels());
            update(s -> s.withVolume(registry.volume()));
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>(registry.labels());
        files.put(PlannedRegistry.CONFIG_PATH, config(registry, labels).getBytes(StandardCharsets.UTF_8));
        if (plan.tls()) {
            RegistryTls material = Objects.requireNonNull(tls, "TLS material");
            files.put(PlannedRegistry.TLS_CERT_PATH, material.certPem().getBytes(StandardCharsets.UTF_8));
            files.put(PlannedRegistry.TLS_KEY_PATH, material.keyPem().getBytes(StandardCharsets.UTF_8));
            labels.put(Labels.CERT_SHA256, Sha256.hex(material.certPem()));
        }
        try {
            List<PublishedPort> ports = registry.hostPort() == null ? List.of()
                    : List.of(new PublishedPort(Planner.LOOPBACK_IP, registry.hostPort(), plan.port()));
            ContainerInfo running = engine.runContainer(new ContainerDefinition(registry.container(), plan.image(),
                    registry.network(), registry.ip(), labels, Map.of(registry.volume(), PlannedRegistry.DATA_DIR),
                    files, List.of(), ports));
            update(s -> s.withContainer(running));
        } catch (ResourceConflictException e) {
            // A concurrent provision of another project may have started the same shared mirror.
            return new Acted.RegistryTaken(registry, awaitRaced(() -> engine.findContainer(registry.container())), e);
        }
        machine.started(registry.container());
        return Acted.Done.asDecided();
    }

    /**
     * The config file the registry runs with: the plan's, or for a mirror the one for the mode its
     * upstream allows and with its login; the mode and the login's fingerprint go on its labels. The
     * secret is in this file only (copied into the container, not in its environment, command or labels).
     */
    private String config(PlannedRegistry registry, Map<String, String> labels) {
        MirrorUpstream upstream = registry.isMirror() ? upstreams.get(registry.container()) : null;
        if (upstream == null) {
            return registry.config();
        }
        labels.put(Labels.MIRROR_MODE, upstream.mode().label());
        UpstreamLogin login = upstream.login();
        if (login != null) {
            labels.put(Labels.UPSTREAM_LOGIN, upstream.loginFingerprint());
        }
        return RegistryConfigYaml.mirror(registry, plan.tls(), upstream.mode(),
                login == null ? null : login.username(), login == null ? null : login.secret());
    }

    private void startRegistry(PlannedRegistry registry) {
        try {
            engine.startContainer(registry.container());
        } catch (EngineException e) {
            // The engine's restart policy may have restarted it between our look and our start.
            if (engine.findContainer(registry.container()).filter(ContainerInfo::upOrRestarting).isEmpty()) {
                throw e;
            }
        }
        engine.findContainer(registry.container()).ifPresent(c -> update(s -> s.withContainer(c)));
        machine.started(registry.container());
    }

    private Effect createCluster(String cluster) {
        String executable = kind.locate().map(Path::toString).orElse(null);
        kind.createCluster(cluster, plan.kindConfig(), plan.projectNetwork().name(), output);
        List<ContainerInfo> nodes = engine.listContainers(Map.of(KindExecutable.CLUSTER_LABEL, cluster));
        update(s -> {
            MachineSnapshot next = s;
            for (ContainerInfo node : nodes) {
                next = next.withContainer(node);
            }
            return next;
        });
        return new Effect(Streams.project(plan.project()), new ClusterCreated(plan.domain(), plan.project(), cluster,
                nodes.stream().map(ContainerInfo::name).sorted().toList(), executable));
    }

    private Effect connect(String network, String node) {
        engine.connect(network, node, null);
        Optional<ContainerInfo> connected = engine.findContainer(node);
        connected.ifPresent(c -> update(s -> s.withContainer(c)));
        String ip = connected.map(c -> c.networks().get(network)).orElse(null);
        return new Effect(Streams.project(plan.project()), new NodeConnected(plan.domain(), plan.project(), node,
                network, ip));
    }

    private static String indent(String text) {
        return text.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("    (no output)");
    }
}
