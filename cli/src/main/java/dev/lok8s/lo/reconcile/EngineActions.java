package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.retry.Backoff;
import dev.lok8s.lo.retry.Retry;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.MirrorMode;
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
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.events.Streams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The act part of a provision: decides each step with {@link ProvisionRules} against the snapshot
 * as this run has changed it so far, and carries out only the actions that change something.
 * Safe to call from several threads for independent steps.
 */
public final class EngineActions implements StepHandler {

    private final RegistryPlan plan;
    private final ProvisionRules rules;
    private final ContainerEngine engine;
    private final KindExecutable kind;
    private final CertsDirWriter certsDirWriter;
    private final RegistryProbe probe;
    private final RegistryTls tls;
    private final Consumer<String> output;
    /** The machine as this run has changed it so far. */
    private final RunSnapshot machine;
    /** Containers this run created, replaced or started: verification waits only for these. */
    private final Set<String> startedThisRun = ConcurrentHashMap.newKeySet();

    public EngineActions(RegistryPlan plan, ProvisionRules rules, java.util.function.Supplier<MachineSnapshot> observe, ContainerEngine engine,
                         KindExecutable kind, CertsDirWriter certsDirWriter, RegistryProbe probe, RegistryTls tls,
                         Consumer<String> output) {
        this.plan = plan;
        this.rules = rules;
        this.engine = engine;
        this.kind = kind;
        this.certsDirWriter = certsDirWriter;
        this.probe = probe;
        this.tls = tls;
        this.output = output;
        this.machine = new RunSnapshot(observe);
    }

    @Override
    public StepDecision decide(PlannedStep step) {
        return rules.decide(step, current(), Set.copyOf(startedThisRun));
    }

    @Override
    public StepResult act(StepDecision decision) {
        List<Effect> effects = new ArrayList<>();
        List<String> warnings = new ArrayList<>(decision.warnings());
        List<String> details = new ArrayList<>();
        var outcome = decision.outcome();
        for (Action action : decision.actions()) {
            effects.addAll(action.effects());
            details.add(action.reason());
            if (action.change() == null) {
                continue;
            }
            switch (action.change()) {
                case Change.CreateNetwork c -> {
                    Optional<StepDecision> raced = createNetwork(decision.plannedStep(), c.network());
                    if (raced.isPresent()) {
                        // Another run created it a moment ago: decided again against what is there now.
                        return act(raced.get());
                    }
                }
                case Change.RecreateNetwork c -> {
                    engine.removeNetwork(c.network().name());
                    update(s -> s.withoutNetwork(c.network().name()));
                    createNetwork(decision.plannedStep(), c.network()).ifPresent(d -> {
                        throw new StepFailedException("network '" + c.network().name()
                                + "' was created again by another process while lo replaced it", false);
                    });
                }
                case Change.PullImage c -> {
                    output.accept("pulling " + c.image());
                    engine.pullImage(c.image(), output);
                    update(MachineSnapshot::withImagePresent);
                }
                case Change.IssueCertificate c -> {
                    RegistryTls.Issued issued = Objects.requireNonNull(tls, "TLS material").issue();
                    effects.add(issued.effect());
                    update(s -> s.withCertificate(issued.stored()));
                    // decided as "issue: <why>", reported once done as "issued: <why>"
                    details.set(details.size() - 1, action.reason().replaceFirst("^issue: ", "issued: "));
                }
                case Change.RunRegistry c -> runRegistry(c.registry(), c.createVolume());
                case Change.StartRegistry c -> startRegistry(c.registry());
                case Change.ReplaceRegistry c -> {
                    engine.removeContainer(c.registry().container());
                    update(s -> s.withoutContainer(c.registry().container()));
                    runRegistry(c.registry(), c.createVolume());
                }
                case Change.WriteCertsDir c -> {
                    Map<String, byte[]> bytes = new LinkedHashMap<>();
                    c.files().forEach((path, content) -> bytes.put(path, content.getBytes(StandardCharsets.UTF_8)));
                    certsDirWriter.write(Path.of(plan.certsDir()), bytes);
                    update(s -> s.withCertsFiles(c.files()));
                }
                case Change.CreateCluster c -> effects.add(createCluster(c.cluster()));
                case Change.ConnectNode c -> effects.add(connect(c.network(), c.node()));
                case Change.PublishRegistries c -> {
                    ClusterRegistries.Publication publication = publishRegistries(c.cluster());
                    outcome = publication.outcome();
                    details.set(details.size() - 1, publication.detail());
                    if (publication.event() != null) {
                        effects.add(new Effect(Streams.project(plan.project()), publication.event()));
                    }
                }
                case Change.ProbeRegistries c -> {
                    Verified verified = verify(c);
                    warnings.addAll(verified.warnings());
                    details.set(details.size() - 1, verified.detail());
                }
                case Change.StopContainer c -> throw teardownInProvision(c);
                case Change.RemoveContainer c -> throw teardownInProvision(c);
                case Change.RemoveVolume c -> throw teardownInProvision(c);
                case Change.Disconnect c -> throw teardownInProvision(c);
                case Change.DeleteCluster c -> throw teardownInProvision(c);
                case Change.RemoveNetwork c -> throw teardownInProvision(c);
            }
        }
        return new StepResult(outcome, effects, String.join("; ", details), warnings);
    }

    /**
     * Off ({@code lo.registry-discovery=false}): nothing is written and nothing recorded. Up to date
     * already: recorded all the same, so the next run knows without asking the API server.
     */
    private ClusterRegistries.Publication publishRegistries(String cluster) {
        if (!ClusterRegistries.enabled()) {
            return new ClusterRegistries.Publication(StepOutcome.unchanged,
                    "turned off (" + ClusterRegistries.ENABLED_SETTING + "=false)", null);
        }
        ClusterRegistries.Publication publication = ClusterRegistries.ensure(plan, kind.kubeconfig(cluster));
        if (publication.event() != null) {
            return publication;
        }
        List<RegistryHosting.DesiredConfigMap> desired = RegistryHosting.desired(plan);
        return new ClusterRegistries.Publication(StepOutcome.adopted, publication.detail(),
                new ClusterRegistriesPublished(plan.domain(), plan.project(), cluster, List.of(),
                        ClusterRegistries.dataHash(desired)));
    }

    private static IllegalStateException teardownInProvision(Change change) {
        return new IllegalStateException("teardown action " + change + " in a provision");
    }

    private MachineSnapshot current() {
        return machine.current();
    }

    private void update(java.util.function.UnaryOperator<MachineSnapshot> change) {
        machine.update(change);
    }

    /** Creates the network; on a name conflict, the step decided again against the network now there. */
    private Optional<StepDecision> createNetwork(PlannedStep step, PlannedNetwork network) {
        try {
            NetworkInfo created = engine.createNetwork(new NetworkDefinition(network.name(), network.cidr(),
                    network.gateway(), network.dynamicRange(), network.labels()));
            update(s -> s.withNetwork(created));
            return Optional.empty();
        } catch (ResourceConflictException e) {
            Optional<NetworkInfo> raced = awaitRacedNetwork(network.name());
            if (raced.isPresent() && Objects.equals(raced.get().subnet(), network.cidr())) {
                update(s -> s.withNetwork(raced.get()));
                StepDecision again = rules.decide(step, current(), Set.of());
                if (!again.mutates()) {
                    return Optional.of(again);
                }
            }
            throw new StepFailedException("cannot create network '" + network.name() + "' (" + network.cidr() + "): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The network another process is creating under the same name. Docker reserves the subnet before
     * the network can be listed, so a run that loses the race may be told "pool overlaps" while the
     * winner's network is not yet visible: look again for a short while before calling it a conflict.
     */
    private Optional<NetworkInfo> awaitRacedNetwork(String name) {
        try {
            return Retry.SYSTEM.poll(RACED_NETWORK_LOOKS, () -> engine.findNetwork(name), Optional::isPresent);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** 40 looks 50 ms apart: about two seconds for the winner's network to be listed. */
    private static final Backoff RACED_NETWORK_LOOKS = Backoff.fixed(Duration.ofMillis(50), 40);

    private void runRegistry(PlannedRegistry registry, boolean createVolume) {
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
            labels.put(Labels.CERT_SHA256, dev.lok8s.lo.plan.Sha256.hex(material.certPem()));
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
            Optional<ContainerInfo> raced = engine.findContainer(registry.container());
            if (raced.isPresent() && registry.configHash().equals(raced.get().labels()
                    .get(dev.lok8s.lo.plan.Labels.CONFIG_HASH))) {
                update(s -> s.withContainer(raced.get()));
            } else {
                throw StepFailedException.refused(dev.lok8s.lo.failure.Reason.of(e.getMessage()));
            }
        }
        startedThisRun.add(registry.container());
    }

    /**
     * The config file the registry runs with: the plan's, or for a mirror the one for the mode its
     * upstream allows and with its login; the mode and the login's fingerprint go on its labels. The
     * secret is in this file only (copied into the container, not in its environment, command or labels).
     */
    private String config(PlannedRegistry registry, Map<String, String> labels) {
        MirrorUpstream upstream = registry.isMirror() ? rules.upstreams().get(registry.container()) : null;
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
        startedThisRun.add(registry.container());
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

    private record Verified(String detail, List<String> warnings) {
    }

    private Verified verify(Change.ProbeRegistries probes) {
        List<String> warnings = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (PlannedRegistry registry : plan.registries()) {
            MirrorUpstream upstream = registry.isMirror() ? rules.upstreams().get(registry.container()) : null;
            if (upstream != null && upstream.mode() == MirrorMode.OFFLINE) {
                warnings.add("mirror " + registry.container() + " is offline: its upstream " + registry.upstream()
                        + " does not answer (" + upstream.unreachable() + "); it serves its cache read-only until "
                        + "lo registry up finds the upstream answering again");
            }
            if (upstream != null && upstream.problem() != null) {
                warnings.add("mirror " + registry.container() + ": " + upstream.problem().message()
                        + (upstream.problem().fix() == null ? "" : " (" + upstream.problem().fix() + ")"));
            }
        }
        for (PlannedRegistry registry : probes.restarting()) {
            warnings.add("mirror " + registry.container() + " (" + registry.ip() + ") keeps restarting: a "
                    + "pull-through registry exits while its upstream " + registry.upstream()
                    + " does not answer (docker logs " + registry.container() + ")");
        }
        Map<PlannedRegistry, RegistryProbe.Answer> answers = probe.probeAll(probes.probed(),
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
        return new Verified(ok + "/" + plan.registries().size() + " registries answer", warnings);
    }

    private static String indent(String text) {
        return text.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("    (no output)");
    }
}
