package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.events.CertsDirWritten;
import dev.lok8s.lo.events.ClusterCreated;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkAdopted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.kube.ClusterRegistries;
import dev.lok8s.lo.kube.RegistryHosting;
import dev.lok8s.lo.observe.MachineSnapshot;
import dev.lok8s.lo.observe.StoredCertificate;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.plan.StepKind;
import dev.lok8s.lo.plan.SubnetMismatch;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.registry.RegistryTlsFiles;
import dev.lok8s.lo.tls.CaMaterial;
import dev.lok8s.lo.tls.CertificatePolicy;
import dev.lok8s.lo.upstream.MirrorUpstream;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The provision's rules as one pure function: given the plan, what the log knows and a snapshot
 * of the machine, what each step must do and why. No I/O: every rule has a millisecond unit test
 * (ProvisionRulesTest). {@link EngineActions} carries the decisions out.
 *
 * @param ca        mkcert's CA in TLS mode (checked before the run), else null
 * @param now       the time certificate validity is judged at
 * @param upstreams each mirror's upstream as found before the run (mode, login), by container; a mirror
 *                  without an entry is judged without them (its mode and login labels are not compared)
 * @param registryDiscovery whether the registry ConfigMaps are published ({@code lo.registry-discovery})
 * @param caProblem why mkcert's CA could not be had in TLS mode (see {@link #tlsRefusal}), else null
 */
public record ProvisionRules(RegistryPlan plan, KnownState known, CaMaterial ca, Instant now,
                             Map<String, MirrorUpstream> upstreams, boolean registryDiscovery, Reason caProblem) {

    public ProvisionRules {
        upstreams = Map.copyOf(upstreams);
    }

    /** With mkcert's CA checked and found (or TLS off). */
    public ProvisionRules(RegistryPlan plan, KnownState known, CaMaterial ca, Instant now,
                          Map<String, MirrorUpstream> upstreams, boolean registryDiscovery) {
        this(plan, known, ca, now, upstreams, registryDiscovery, null);
    }

    /**
     * TLS without mkcert's CA is refused, with the reason the check gave ({@code caProblem}, null when the CA
     * was found): a run before it changes anything, a dry run on the steps that need the CA. Empty when
     * the plan may go on.
     */
    public static Optional<Reason> tlsRefusal(RegistryPlan plan, Reason caProblem) {
        return plan.tls() && caProblem != null ? Optional.of(caProblem) : Optional.empty();
    }

    /** With registry discovery on (its default). */
    public ProvisionRules(RegistryPlan plan, KnownState known, CaMaterial ca, Instant now,
                          Map<String, MirrorUpstream> upstreams) {
        this(plan, known, ca, now, upstreams, true);
    }

    public ProvisionRules(RegistryPlan plan, KnownState known, CaMaterial ca, Instant now) {
        this(plan, known, ca, now, Map.of());
    }

    /**
     * Every step against one snapshot (what --dry-run shows; a run decides each step as it comes,
     * against the machine as the steps before it left it). Connecting the nodes of a cluster that
     * is yet to be created is shown as such.
     */
    public List<StepDecision<Change.Provision>> decideAll(MachineSnapshot snapshot) {
        boolean clusterToCreate = plan.steps().stream().filter(s -> s.kind() == StepKind.CLUSTER)
                .anyMatch(s -> decide(s, snapshot, Set.of()).mutates());
        return plan.steps().stream().<StepDecision<Change.Provision>>map(step -> clusterToCreate && step.kind() == StepKind.CONNECT
                ? StepDecision.of(step, StepOutcome.created, new Action.Proceed<>(Verb.CREATE, step.target(),
                "the nodes kind creates join " + step.target() + " after cluster:" + plan.clusterName(), null,
                List.of()))
                : decide(step, snapshot, Set.of())).toList();
    }

    /**
     * Of the steps a resumed run recorded done, those it must do again, in plan order: a step whose effect is
     * no longer on the machine as planned (a destroy, a {@code docker rm} or a {@code kind delete} since),
     * that is, decided against {@code snapshot} it would change something, record something or be refused;
     * and a step that depends on a step this resume runs (the in-flight one, or one redone), since what
     * it found may change. The others the resume skips. Redoing a step whose effect is there costs a look.
     */
    public List<String> stepsToRedo(Set<String> recordedDone, MachineSnapshot snapshot) {
        Set<String> runs = new HashSet<>();
        List<String> redo = new ArrayList<>();
        for (PlannedStep step : plan.steps()) {
            boolean recorded = recordedDone.contains(step.id());
            if (!recorded || step.dependsOn().stream().anyMatch(runs::contains)
                    || !decide(step, snapshot, Set.of()).changesNothing()) {
                runs.add(step.id());
                if (recorded) {
                    redo.add(step.id());
                }
            }
        }
        return List.copyOf(redo);
    }

    /**
     * @param startedThisRun registry containers this run created, started or replaced: verify waits
     *                       for those mirrors, and asks the others once
     */
    public StepDecision<Change.Provision> decide(PlannedStep step, MachineSnapshot snapshot, Set<String> startedThisRun) {
        return switch (step.kind()) {
            case CHECK_SUBNETS -> checkSubnets(step, snapshot);
            case NETWORK -> network(step, planned(step.target()), snapshot);
            case IMAGE -> snapshot.imagePresent()
                    ? StepDecision.of(step, StepOutcome.unchanged, Action.unchanged(plan.image(), plan.image() + " present"))
                    : StepDecision.of(step, StepOutcome.created, new Action.Proceed<>(Verb.CREATE, plan.image(),
                    "not present: pull " + plan.image(), new Change.PullImage(plan.image()), List.of()));
            case TLS_CERT -> tlsRefusal(plan, caProblem).map(why -> refused(step, why))
                    .orElseGet(() -> certificate(step, snapshot));
            case REGISTRY -> registry(step, registry(step.target()), snapshot);
            case CERTS_DIR -> tlsRefusal(plan, caProblem).map(why -> refused(step, why))
                    .orElseGet(() -> certsDir(step, snapshot));
            case CLUSTER -> cluster(step, snapshot);
            case CONNECT -> connect(step, planned(step.target()), snapshot);
            case REGISTRY_DISCOVERY -> registryDiscovery(step);
            case VERIFY -> verify(step, snapshot, startedThisRun);
            case STOP, REMOVE_REGISTRY, REMOVE_VOLUME, DISCONNECT, DELETE_CLUSTER, REMOVE_NETWORK ->
                    throw new IllegalArgumentException("teardown step " + step.id() + " in a provision (see TeardownRules)");
        };
    }

    private static StepDecision<Change.Provision> refused(PlannedStep step, Reason why) {
        return StepDecision.of(step, StepOutcome.unchanged, Action.refuse(step.target(), why));
    }

    // check-subnets: every planned network that exists must have the planned subnet, or be ours and empty.

    private StepDecision<Change.Provision> checkSubnets(PlannedStep step, MachineSnapshot snapshot) {
        for (PlannedNetwork network : plan.networks()) {
            Optional<SubnetMismatch> mismatch = snapshot.network(network.name()).flatMap(found -> mismatch(network, found));
            if (mismatch.isPresent() && !recreatable(network, snapshot.network(network.name()).orElseThrow())) {
                return StepDecision.of(step, StepOutcome.unchanged, Action.refuse(network.name(),
                        mismatch.get().reason()));
            }
        }
        return StepDecision.of(step, StepOutcome.unchanged, Action.unchanged("networks", "subnets match"));
    }

    /** The planned network found with another subnet, as the facts of the refusal; empty when the subnet is the planned one. */
    private Optional<SubnetMismatch> mismatch(PlannedNetwork network, NetworkInfo found) {
        return SubnetMismatch.of(plan.domain(), network, found.subnet(), found.containers().keySet(),
                ownedByLo(found.labels()));
    }

    /** Our own empty project network from an older spec: nothing depends on it, so it is recreated, not refused. */
    private static boolean recreatable(PlannedNetwork network, NetworkInfo found) {
        return network.scope() == Scope.PROJECT && found.containers().isEmpty() && ownedByLo(found.labels());
    }

    // network:<name>

    private StepDecision<Change.Provision> network(PlannedStep step, PlannedNetwork network, MachineSnapshot snapshot) {
        Optional<NetworkInfo> existing = snapshot.network(network.name());
        String target = network.name();
        Effect created = new Effect(streamOf(network), new NetworkCreated(plan.domain(), plan.project(),
                network.name(), network.cidr(), network.scope()));
        if (existing.isEmpty()) {
            return StepDecision.of(step, StepOutcome.created, new Action.Proceed<>(Verb.CREATE, target,
                    network.name() + " " + network.cidr(), new Change.CreateNetwork(network), List.of(created)));
        }
        NetworkInfo found = existing.get();
        Optional<SubnetMismatch> mismatch = mismatch(network, found);
        if (mismatch.isPresent()) {
            if (recreatable(network, found)) {
                return StepDecision.of(step, StepOutcome.replaced, new Action.Proceed<>(Verb.REPLACE, target,
                        network.name() + " " + found.subnet() + " -> " + network.cidr(),
                        new Change.RecreateNetwork(network), List.of(created)));
            }
            return StepDecision.of(step, StepOutcome.unchanged, Action.refuse(target, mismatch.get().reason()));
        }
        if (known.networkUsedBy(network.name(), plan.project())) {
            return StepDecision.of(step, StepOutcome.unchanged,
                    Action.unchanged(target, network.name() + " " + network.cidr()));
        }
        // Made by another project, a concurrent run, or before the log knew: record that this project uses it.
        return StepDecision.of(step, StepOutcome.adopted, new Action.Proceed<>(Verb.ADOPT, target,
                network.name() + " " + network.cidr(), null, List.of(new Effect(streamOf(network),
                new NetworkAdopted(plan.domain(), plan.project(), network.name(), network.cidr(), network.scope())))));
    }

    // tls-cert

    private StepDecision<Change.Provision> certificate(PlannedStep step, MachineSnapshot snapshot) {
        Objects.requireNonNull(ca, "TLS is on but the CA was not checked");
        var decision = CertificatePolicy.decide(snapshot.certificate().map(StoredCertificate::certificate),
                plan.tlsSans(), ca, now);
        return switch (decision) {
            case CertificatePolicy.Decision.Keep keep ->
                    StepDecision.of(step, StepOutcome.unchanged, Action.unchanged("certificate", keep.reason()));
            case CertificatePolicy.Decision.Issue issue -> StepDecision.of(step, StepOutcome.created,
                    new Action.Proceed<>(Verb.CREATE, "certificate", "issue: " + issue.reason(), new Change.IssueCertificate(),
                            List.of()));
        };
    }

    // registry:<container>

    private StepDecision<Change.Provision> registry(PlannedStep step, PlannedRegistry registry, MachineSnapshot snapshot) {
        String name = registry.container();
        Optional<ContainerInfo> existing = snapshot.container(name);
        boolean needsVolume = !snapshot.volumes().contains(registry.volume());
        if (existing.isEmpty()) {
            Optional<String> squatter = onAddress(snapshot, registry);
            if (squatter.isPresent()) {
                return StepDecision.of(step, StepOutcome.unchanged, Action.refuse(name, Reason.of("address "
                        + registry.ip() + " on network '" + registry.network() + "' is taken by container '"
                        + squatter.get() + "', but the plan puts " + name + " there: remove that container or "
                        + "disconnect it (docker network disconnect " + registry.network() + " " + squatter.get()
                        + ")")));
            }
            return StepDecision.of(step, StepOutcome.created, new Action.Proceed<>(Verb.CREATE, name, name + " " + registry.ip(),
                    new Change.RunRegistry(registry, needsVolume), List.of(started(registry))));
        }
        ContainerInfo container = existing.get();
        if (!ownedByLo(container.labels())) {
            return StepDecision.of(step, StepOutcome.unchanged, Action.refuse(name, Reason.of("container name '"
                    + name + "' is taken by a container lo did not create (image " + container.image()
                    + "): remove or rename it (docker rm -f " + name + "), then rerun lo provision")));
        }
        List<String> differences = differences(registry, container, snapshot);
        if (!differences.isEmpty()) {
            return StepDecision.of(step, StepOutcome.replaced, new Action.Proceed<>(Verb.REPLACE, name,
                    name + " recreated with the planned config (" + String.join(", ", differences) + ")",
                    new Change.ReplaceRegistry(registry, needsVolume), List.of(started(registry))));
        }
        if (!container.upOrRestarting()) {
            return StepDecision.of(step, StepOutcome.replaced, new Action.Proceed<>(Verb.START, name,
                    name + " started again (was " + container.state() + ")", new Change.StartRegistry(registry),
                    List.of(started(registry))));
        }
        // Running, or restarting under the engine's restart policy (a mirror whose upstream is away): as planned.
        String state = container.running() ? "" : " (restarting)";
        if (known.registries().contains(name)) {
            return StepDecision.of(step, StepOutcome.unchanged, Action.unchanged(name, name + " " + registry.ip() + state));
        }
        return StepDecision.of(step, StepOutcome.adopted, new Action.Proceed<>(Verb.ADOPT, name, name + " " + registry.ip() + state,
                null, List.of(started(registry))));
    }

    /** What differs between the container and the plan: config, certificate, image, host port, address. */
    private List<String> differences(PlannedRegistry registry, ContainerInfo container, MachineSnapshot snapshot) {
        List<String> out = new ArrayList<>();
        if (!registry.configHash().equals(container.labels().get(Labels.CONFIG_HASH))) {
            out.add("config " + shortHash(container.labels().get(Labels.CONFIG_HASH)) + " -> "
                    + shortHash(registry.configHash()));
        }
        String fingerprint = certFingerprint(snapshot);
        if (!Objects.equals(fingerprint, container.labels().get(Labels.CERT_SHA256))) {
            out.add("certificate " + shortHash(container.labels().get(Labels.CERT_SHA256)) + " -> " + shortHash(fingerprint));
        }
        if (!plan.image().equals(container.image())) {
            out.add("image " + container.image() + " -> " + plan.image());
        }
        String plannedPort = registry.labels().get(Labels.HOST_PORT);
        String port = container.labels().get(Labels.HOST_PORT);
        if (!Objects.equals(plannedPort, port)) {
            out.add("host port " + (port == null ? "(none)" : Planner.LOOPBACK_IP + ":" + port) + " -> "
                    + (plannedPort == null ? "(none)" : Planner.LOOPBACK_IP + ":" + plannedPort));
        }
        String ip = container.networks().get(registry.network());
        if (!registry.ip().equals(ip)) {
            out.add((ip == null ? "not on " + registry.network() : "address " + ip) + " -> " + registry.ip());
        }
        MirrorUpstream upstream = registry.isMirror() ? upstreams.get(registry.container()) : null;
        if (upstream != null) {
            MirrorMode running = MirrorMode.ofLabel(container.labels().get(Labels.MIRROR_MODE));
            if (running != upstream.mode()) {
                out.add("mode " + running + " -> " + upstream.mode() + (upstream.mode() == MirrorMode.OFFLINE
                        ? " (upstream " + registry.upstream() + " does not answer: serving its cache)"
                        : " (upstream " + registry.upstream() + " answers again)"));
            }
            String had = container.labels().get(Labels.UPSTREAM_LOGIN);
            if (upstream.loginKnown() && !Objects.equals(had, upstream.loginFingerprint())) {
                out.add(had == null ? "upstream login added" : upstream.loginFingerprint() == null
                        ? "upstream login removed" : "upstream login changed");
            }
        }
        return out;
    }

    /** Another container on the registry's planned address, if any. */
    private static Optional<String> onAddress(MachineSnapshot snapshot, PlannedRegistry registry) {
        return snapshot.network(registry.network()).flatMap(network -> network.containers().entrySet().stream()
                .filter(e -> registry.ip().equals(e.getValue()) && !e.getKey().equals(registry.container()))
                .map(Map.Entry::getKey).sorted().findFirst());
    }

    /** The certificate registries serve in TLS mode (its sha-256), null in plain mode. */
    public String certFingerprint(MachineSnapshot snapshot) {
        return plan.tls() ? snapshot.certificate().map(StoredCertificate::fingerprint).orElse(null) : null;
    }

    private Effect started(PlannedRegistry registry) {
        if (registry.role() == Role.MIRROR) {
            boolean shared = plan.shared();
            return new Effect(shared ? Streams.network(registry.network()) : projectStream(),
                    new MirrorStarted(plan.domain(), plan.project(), registry.container(), registry.name(),
                            shared ? Scope.SHARED : Scope.PROJECT, registry.network(), registry.ip(),
                            plan.image(), registry.configHash(), registry.upstream(), mode(registry),
                            loginFingerprint(registry)));
        }
        return new Effect(projectStream(), new RegistryStarted(plan.domain(), plan.project(), registry.container(),
                registry.role(), registry.network(), registry.ip(), plan.image(),
                registry.configHash(), registry.hostPort()));
    }

    /** The mode a mirror is started in: what its upstream allows; null when lo did not look (it proxies). */
    public MirrorMode mode(PlannedRegistry registry) {
        MirrorUpstream upstream = upstreams.get(registry.container());
        return upstream == null ? null : upstream.mode();
    }

    /** The fingerprint of the login a mirror is started with; null for none. */
    public String loginFingerprint(PlannedRegistry registry) {
        MirrorUpstream upstream = upstreams.get(registry.container());
        return upstream == null ? null : upstream.loginFingerprint();
    }

    // certs-dir

    /** The certs.d tree the plan wants: its hosts.toml files, and the CA copy in TLS mode. */
    public Map<String, String> certsFiles() {
        Map<String, String> files = new LinkedHashMap<>(plan.certsFiles());
        if (plan.tls()) {
            files.put(RegistryTlsFiles.CA_FILE, Objects.requireNonNull(ca, "TLS is on but the CA was not checked")
                    .certificatePem());
        }
        return files;
    }

    private StepDecision<Change.Provision> certsDir(PlannedStep step, MachineSnapshot snapshot) {
        Map<String, String> wanted = certsFiles();
        if (wanted.equals(snapshot.certsFiles()) && snapshot.certsIgnored()) {
            return StepDecision.of(step, StepOutcome.unchanged, Action.unchanged(plan.certsDir(),
                    wanted.size() + " files up to date"));
        }
        long differ = wanted.entrySet().stream()
                .filter(e -> !e.getValue().equals(snapshot.certsFiles().get(e.getKey()))).count();
        long stale = snapshot.certsFiles().keySet().stream().filter(k -> !wanted.containsKey(k)).count();
        boolean fresh = wanted.keySet().stream().noneMatch(snapshot.certsFiles()::containsKey);
        Effect written = new Effect(projectStream(), new CertsDirWritten(plan.domain(), plan.project(), plan.certsDir(),
                List.copyOf(wanted.keySet())));
        return StepDecision.of(step, fresh ? StepOutcome.created : StepOutcome.replaced,
                new Action.Proceed<>(fresh ? Verb.CREATE : Verb.REPLACE, plan.certsDir(), differ + " to write, " + stale
                        + " to remove", new Change.WriteCertsDir(wanted), List.of(written)));
    }

    // cluster:<name>

    private StepDecision<Change.Provision> cluster(PlannedStep step, MachineSnapshot snapshot) {
        String cluster = plan.clusterName();
        List<ContainerInfo> nodes = snapshot.nodes(cluster);
        if (nodes.isEmpty()) {
            // ClusterCreated (with its nodes and the kind that made it) comes from the act part.
            return StepDecision.of(step, StepOutcome.created, new Action.Proceed<>(Verb.CREATE, cluster, "kind cluster " + cluster,
                    new Change.CreateCluster(cluster), List.of()));
        }
        if (known.clusters().contains(cluster)) {
            return StepDecision.of(step, StepOutcome.unchanged, Action.unchanged(cluster, "kind cluster " + cluster
                    + " exists"));
        }
        return StepDecision.of(step, StepOutcome.adopted, new Action.Proceed<>(Verb.ADOPT, cluster, "kind cluster " + cluster
                + " exists", null, List.of(new Effect(projectStream(), new ClusterCreated(plan.domain(), plan.project(),
                cluster, nodes.stream().map(ContainerInfo::name).toList())))));
    }

    // connect:<shared network>

    private StepDecision<Change.Provision> connect(PlannedStep step, PlannedNetwork network, MachineSnapshot snapshot) {
        List<ContainerInfo> nodes = snapshot.nodes(plan.clusterName());
        if (nodes.isEmpty()) {
            // kind made (or recorded) the cluster, but on an engine lo does not look at, or with another
            // provider (podman): there is nothing lo could connect.
            String cluster = plan.clusterName();
            return StepDecision.of(step, StepOutcome.unchanged, Action.refuse(cluster, Reason.of("kind cluster '"
                    + cluster + "' has no node containers lo can see on its Docker Engine (none labelled "
                    + KindExecutable.CLUSTER_LABEL + "=" + cluster + "), so they cannot join " + network.name(),
                    "make kind use its docker provider on the engine lo uses (unset KIND_EXPERIMENTAL_PROVIDER; "
                            + "the same DOCKER_HOST), delete the cluster (kind delete cluster --name " + cluster
                            + ") and rerun lo provision")));
        }
        List<Action<Change.Provision>> actions = new ArrayList<>();
        for (ContainerInfo node : nodes) {
            if (!node.networks().containsKey(network.name())) {
                // NodeConnected (with the address the engine gave) comes from the act part.
                actions.add(new Action.Proceed<>(Verb.CREATE, node.name(), node.name() + " not on " + network.name(),
                        new Change.ConnectNode(network.name(), node.name()), List.of()));
            }
        }
        if (actions.isEmpty()) {
            return StepDecision.of(step, StepOutcome.unchanged, Action.unchanged(network.name(),
                    nodes.size() + " node(s) already on " + network.name()));
        }
        return new StepDecision<>(step, StepOutcome.created, actions, List.of());
    }

    // registry-discovery:<cluster>: the log records the data last published into the cluster; only a
    // difference (a new cluster, a mirror added, TLS switched) makes the run talk to its API server.

    private StepDecision<Change.Provision> registryDiscovery(PlannedStep step) {
        String cluster = plan.clusterName();
        if (!registryDiscovery) {
            return StepDecision.of(step, StepOutcome.unchanged, Action.unchanged(cluster,
                    "turned off (" + ClusterRegistries.ENABLED_SETTING + "=false)"));
        }
        String wanted = ClusterRegistries.dataHash(RegistryHosting.desired(plan));
        if (wanted.equals(known.publishedRegistries().get(cluster))) {
            return StepDecision.of(step, StepOutcome.unchanged, Action.unchanged(cluster,
                    "registry ConfigMaps published as planned"));
        }
        // ClusterRegistriesPublished (what was written, if anything) comes from the act part.
        return StepDecision.of(step, StepOutcome.created, new Action.Proceed<>(Verb.CREATE, cluster,
                "publish the registry ConfigMaps in kind cluster " + cluster, new Change.PublishRegistries(cluster),
                List.of()));
    }

    // verify

    private StepDecision<Change.Provision> verify(PlannedStep step, MachineSnapshot snapshot, Set<String> startedThisRun) {
        List<PlannedRegistry> probed = new ArrayList<>();
        List<PlannedRegistry> restarting = new ArrayList<>();
        for (PlannedRegistry registry : plan.registries()) {
            boolean wasRestarting = registry.role() == Role.MIRROR && !startedThisRun.contains(registry.container())
                    && snapshot.container(registry.container()).map(c -> "restarting".equals(c.state())).orElse(false);
            // A mirror Docker already reports as restarting has nothing listening: reported, not waited on.
            (wasRestarting ? restarting : probed).add(registry);
        }
        return StepDecision.of(step, StepOutcome.unchanged, new Action.Proceed<>(Verb.UNCHANGED, "registries",
                "ask " + probed.size() + " registries GET /v2/" + (restarting.isEmpty() ? ""
                        : ", report " + restarting.size() + " restarting"),
                new Change.ProbeRegistries(probed, restarting), List.of()));
    }

    // a resource another process made under the planned name while this run created it

    /** A raced network: adopted (the step decided again against it, changing nothing), or the step fails. */
    public sealed interface RacedNetwork {
        record Adopt(StepDecision<Change.Provision> decidedAgain) implements RacedNetwork {
        }

        record Fail(Reason why) implements RacedNetwork {
        }
    }

    /** A raced registry container: adopted as this run's, or the run is refused. */
    public sealed interface RacedRegistry {
        record Adopt(ContainerInfo found) implements RacedRegistry {
        }

        record Refuse(Reason why) implements RacedRegistry {
        }
    }

    /**
     * The network step's create met a network of that name (another run made it a moment ago, or Docker
     * reserved its subnet for one): with the planned subnet, the step is decided again against it and
     * adopted when that changes nothing; else, or while lo was replacing its own network, the step fails.
     */
    public RacedNetwork racedNetwork(PlannedStep step, Acted.NetworkTaken taken, MachineSnapshot snapshot) {
        PlannedNetwork network = taken.network();
        Optional<NetworkInfo> found = taken.found();
        if (found.isPresent() && SubnetMismatch.sameSubnet(found.get().subnet(), network.cidr())) {
            StepDecision<Change.Provision> again = decide(step, snapshot.withNetwork(found.get()), Set.of());
            if (!again.mutates()) {
                return taken.replacing()
                        ? new RacedNetwork.Fail(Reason.of("network '" + network.name()
                        + "' was created again by another process while lo replaced it"))
                        : new RacedNetwork.Adopt(again);
            }
        }
        return new RacedNetwork.Fail(Reason.of("cannot create network '" + network.name() + "' (" + network.cidr()
                + "): " + taken.conflict().getMessage()));
    }

    /**
     * The registry's container name was taken when this run created it (a concurrent provision of another
     * project may start the same shared mirror): adopted only when it is lo's and as planned by every rule
     * a container already there is judged by (config, certificate, image, host port, address, mirror mode
     * and login); else the run is refused with the engine's words for the conflict.
     */
    public RacedRegistry racedRegistry(Acted.RegistryTaken taken, MachineSnapshot snapshot) {
        Optional<ContainerInfo> found = taken.found();
        if (found.isPresent() && ownedByLo(found.get().labels())
                && differences(taken.registry(), found.get(), snapshot).isEmpty()) {
            return new RacedRegistry.Adopt(found.get());
        }
        return new RacedRegistry.Refuse(Reason.of(taken.conflict().getMessage()));
    }

    // what verify's answers mean

    /**
     * What the registries' answers mean for the run: a build or cache registry that does not answer fails
     * it; a mirror that does not answer, keeps restarting, is offline or has an upstream problem is a
     * warning (it depends on its upstream, which lo does not control).
     *
     * @param silent the build and cache registries that did not answer: the run fails with them
     */
    public record Verification(String detail, List<String> warnings, List<Silent> silent) {
        public Verification {
            warnings = List.copyOf(warnings);
            silent = List.copyOf(silent);
        }
    }

    /** A registry that must answer and did not, and what to say of it before its log lines. */
    public record Silent(PlannedRegistry registry, String message) {
        /** The failure's text with the registry's last log lines. */
        public String withLogs(String lastLogLines) {
            return message + "; its last log lines:\n" + lastLogLines;
        }
    }

    public Verification verified(Acted.Probed probed) {
        List<String> warnings = new ArrayList<>();
        List<Silent> silent = new ArrayList<>();
        for (PlannedRegistry registry : plan.registries()) {
            MirrorUpstream upstream = registry.isMirror() ? upstreams.get(registry.container()) : null;
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
        for (PlannedRegistry registry : probed.probes().restarting()) {
            warnings.add("mirror " + registry.container() + " (" + registry.ip() + ") keeps restarting: a "
                    + "pull-through registry exits while its upstream " + registry.upstream()
                    + " does not answer (docker logs " + registry.container() + ")");
        }
        probed.answers().forEach((registry, answer) -> {
            if (answer.ok()) {
                return;
            }
            if (registry.role() == Role.MIRROR) {
                warnings.add("mirror " + registry.container() + " (" + registry.ip() + ") does not answer on "
                        + registry.url() + " (" + answer.error() + "): a pull-through registry only listens once its "
                        + "upstream " + registry.upstream() + " answers");
            } else {
                silent.add(new Silent(registry, registry.container() + " (" + registry.ip() + ") does not answer on "
                        + registry.url() + " (" + answer.error() + ")"));
            }
        });
        long ok = probed.answers().values().stream().filter(RegistryProbe.Answer::ok).count();
        return new Verification(ok + "/" + plan.registries().size() + " registries answer", warnings, silent);
    }

    // helpers

    private PlannedNetwork planned(String name) {
        return plan.networks().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("plan has no network " + name));
    }

    private PlannedRegistry registry(String container) {
        return plan.registries().stream().filter(r -> r.container().equals(container)).findFirst()
                .orElseThrow(() -> new IllegalStateException("plan has no registry container " + container));
    }

    static boolean ownedByLo(Map<String, String> labels) {
        return Labels.MANAGED_BY_LO.equals(labels.get(Labels.MANAGED_BY));
    }

    private String projectStream() {
        return Streams.project(plan.project());
    }

    private String streamOf(PlannedNetwork network) {
        return network.scope() == Scope.SHARED ? Streams.network(network.name()) : projectStream();
    }

    private static String shortHash(String hash) {
        return hash == null ? "(none)" : hash.substring(0, Math.min(12, hash.length()));
    }
}
