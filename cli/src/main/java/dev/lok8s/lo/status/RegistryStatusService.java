package dev.lok8s.lo.status;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineCalls;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.observe.MachineObserver;
import dev.lok8s.lo.observe.MachineSnapshot;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.projection.RegistryLog.LoggedRegistry;
import dev.lok8s.lo.projection.RegistryLog;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.registry.RegistryTlsFiles;
import dev.lok8s.lo.status.RegistryStatusReport.Drift;
import dev.lok8s.lo.status.RegistryStatusReport.NetworkStatus;
import dev.lok8s.lo.status.RegistryStatusReport.RegistryStatus;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.tls.MkcertAuthority;
import dev.lok8s.lo.tls.TlsPrerequisiteException;
import dev.lok8s.lo.upstream.MirrorUpstream;
import dev.lok8s.lo.upstream.MirrorUpstreams;
import dev.lok8s.lo.upstream.PullBudget;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * Builds {@link RegistryStatusReport}s and {@link DoctorReport}s: looks once at Docker (containers,
 * networks, kind nodes), the log (projection tables), the registries' {@code /v2/} (concurrently,
 * one short attempt each) and the mirrors' upstreams, all side by side, then assembles the report
 * with the pure {@link #assemble}.
 */
public final class RegistryStatusService {

    /** Everything a report is made of, observed once; the assembly from it is pure. */
    public record Observed(Map<String, ContainerInfo> containers, Map<String, NetworkInfo> networks,
                           Map<String, LoggedRegistry> logged, Set<String> sharedUsers,
                           Map<String, RegistryProbe.Answer> answers, List<ContainerInfo> nodes,
                           Map<String, MirrorUpstream> upstreams, Map<String, PullBudget> budgets) {
        public Observed {
            upstreams = Map.copyOf(upstreams);
            budgets = Map.copyOf(budgets);
            containers = Map.copyOf(containers);
            networks = Map.copyOf(networks);
            logged = Map.copyOf(logged);
            sharedUsers = Set.copyOf(sharedUsers);
            answers = Map.copyOf(answers);
            nodes = List.copyOf(nodes);
        }

        /** Without the mirrors' upstreams (not looked up). */
        public Observed(Map<String, ContainerInfo> containers, Map<String, NetworkInfo> networks,
                        Map<String, LoggedRegistry> logged, Set<String> sharedUsers,
                        Map<String, RegistryProbe.Answer> answers, List<ContainerInfo> nodes) {
            this(containers, networks, logged, sharedUsers, answers, nodes, Map.of(), Map.of());
        }
    }

    private final EventStore store;
    private final ContainerEngine engine;
    private final RegistryProbe probe;
    private final String caPem;
    private final MirrorUpstreams upstreams;

    /**
     * @param probe a probe with short waits: status asks each registry once
     * @param caPem the registry CA in TLS mode (so the probe verifies for real), else null
     */
    /**
     * The service the CLI and the REST API use for a plan: each running registry is asked once,
     * and TLS registries are verified with the CA the nodes trust (the copy in certs.d), else
     * mkcert's; without either, {@code warnings} hears why the JDK's trust store is used.
     */
    public static RegistryStatusService forPlan(RegistryPlan plan, EventStore store, ContainerEngine engine,
                                                Consumer<String> warnings) {
        return forPlan(plan, store, engine, null, warnings);
    }

    /** @param upstreams looks up each mirror's upstream (mode, login) for the report; null not to */
    public static RegistryStatusService forPlan(RegistryPlan plan, EventStore store, ContainerEngine engine,
                                                MirrorUpstreams upstreams,
                                                Consumer<String> warnings) {
        String caPem = plan.tls() ? RegistryTlsFiles.provisionedCaPem(plan).orElse(null) : null;
        if (plan.tls() && caPem == null) {
            try {
                caPem = new MkcertAuthority(System.getenv()).check().certificatePem();
            } catch (TlsPrerequisiteException e) {
                warnings.accept("cannot read mkcert's CA, TLS registries are probed with the JDK's trust store: "
                        + e.getMessage());
            }
        }
        return new RegistryStatusService(store, engine, new RegistryProbe(Duration.ZERO,
                Duration.ZERO), caPem, upstreams);
    }

    public RegistryStatusService(EventStore store, ContainerEngine engine, RegistryProbe probe, String caPem) {
        this(store, engine, probe, caPem, null);
    }

    public RegistryStatusService(EventStore store, ContainerEngine engine, RegistryProbe probe, String caPem,
                                 MirrorUpstreams upstreams) {
        this.store = store;
        this.engine = engine;
        this.probe = probe;
        this.caPem = caPem;
        this.upstreams = upstreams;
    }

    public RegistryStatusReport report(RegistryPlan plan) {
        return assemble(plan, observe(plan));
    }

    public DoctorReport doctor(RegistryPlan plan) {
        // doctor's findings do not include the pull budget: its upstreams are not asked for it
        Observed observed = observe(plan, false);
        return Doctor.examine(plan, assemble(plan, observed), observed);
    }

    public Observed observe(RegistryPlan plan) {
        return observe(plan, true);
    }

    /** What the log says a report needs: the registries it records, the projects using the shared network. */
    private record LogView(Map<String, LoggedRegistry> registries, Set<String> sharedUsers) {
    }

    /**
     * Looks at the engine, the log and the upstreams side by side: the store's opening and read and the
     * upstreams' checks (which need only the plan) start first, each on a thread of its own, while this
     * thread observes the engine and probes the running registries; all are joined here. A failure is the
     * one a sequential look would have met first: the engine's, else the store's, else the upstreams'. On a
     * failure the upstreams' checks are stopped; the store's opening is let finish (within its own deadlines)
     * so the command does not end while the store is half open.
     */
    private Observed observe(RegistryPlan plan, boolean withBudgets) {
        FutureTask<LogView> logNow = EngineCalls.beside("lo-status-log", () -> {
            RegistryLog log = ReadModels.of(store).registries();
            Set<String> sharedUsers = plan.shared() ? log.usersOf(plan.sharedNetwork().name()) : Set.of();
            return new LogView(log.registries(), sharedUsers);
        });
        Future<MirrorUpstreams.Resolved> upstreamsNow = upstreams == null
                ? CompletableFuture.completedFuture(new MirrorUpstreams.Resolved(Map.of(), Map.of()))
                : EngineCalls.beside("lo-status-upstreams", () -> withBudgets ? upstreams.resolveWithBudgets(plan)
                : new MirrorUpstreams.Resolved(upstreams.resolve(plan), Map.of()));
        try {
            return observe(plan, logNow, upstreamsNow);
        } catch (RuntimeException | Error e) {
            upstreamsNow.cancel(true);
            EngineCalls.settle(logNow);
            throw e;
        }
    }

    private Observed observe(RegistryPlan plan, Future<LogView> logNow,
                             Future<MirrorUpstreams.Resolved> upstreamsNow) {
        // One snapshot, the same type provision decides from: a list call each, issued at once.
        MachineSnapshot snapshot = new MachineObserver(engine).observe(plan, false);
        Map<String, ContainerInfo> containers = new LinkedHashMap<>();
        for (PlannedRegistry registry : plan.registries()) {
            snapshot.container(registry.container()).ifPresent(c -> containers.put(c.name(), c));
        }
        Map<String, NetworkInfo> networks = new LinkedHashMap<>();
        for (PlannedNetwork network : plan.networks()) {
            snapshot.network(network.name()).ifPresent(n -> networks.put(n.name(), n));
        }
        // Only running registries are asked (concurrently, short connect timeout); a restarting one is reported.
        List<PlannedRegistry> running = plan.registries().stream()
                .filter(r -> containers.containsKey(r.container()) && containers.get(r.container()).running())
                .toList();
        Map<String, RegistryProbe.Answer> answers = new LinkedHashMap<>();
        probe.probeAll(running, caPem).forEach((registry, answer) -> answers.put(registry.container(), answer));
        LogView log = EngineCalls.join(logNow, "reading the event store");
        MirrorUpstreams.Resolved resolved = EngineCalls.join(upstreamsNow, "looking up the mirrors' upstreams");
        return new Observed(containers, networks, log.registries(), log.sharedUsers(), answers,
                snapshot.nodes(plan.clusterName()), resolved.upstreams(), resolved.budgets());
    }

    /** The report from what was observed. Pure. */
    public static RegistryStatusReport assemble(RegistryPlan plan, Observed observed) {
        List<RegistryStatus> shared = new ArrayList<>();
        List<RegistryStatus> project = new ArrayList<>();
        List<Drift> drift = new ArrayList<>();
        for (PlannedRegistry registry : plan.registries()) {
            boolean isShared = registry.isMirror() && plan.shared();
            RegistryStatus status = status(registry, isShared, observed);
            (isShared ? shared : project).add(status);
            drift.addAll(drift(plan, registry, observed));
        }
        return new RegistryStatusReport(plan.project(), plan.domain(), plan.slot(), plan.tls(),
                plan.shared() ? network(plan.sharedNetwork(), observed) : null,
                network(plan.projectNetwork(), observed), shared, project, drift);
    }

    private static NetworkStatus network(PlannedNetwork network, Observed observed) {
        NetworkInfo info = observed.networks().get(network.name());
        return new NetworkStatus(network.name(), network.cidr(), info == null ? null : info.subnet(), info != null);
    }

    private static RegistryStatus status(PlannedRegistry registry, boolean shared, Observed observed) {
        ContainerInfo container = observed.containers().get(registry.container());
        LoggedRegistry logged = observed.logged().get(registry.container());
        RegistryProbe.Answer answer = observed.answers().get(registry.container());
        String state = container == null ? "missing" : container.state();
        Boolean reachable = answer == null ? null : answer.ok();
        String mode = mode(registry.isMirror(), container);
        MirrorUpstream upstream = observed.upstreams().get(registry.container());
        return new RegistryStatus(registry.name(), registry.role(), registry.container(), registry.network(),
                registry.ip(), container == null ? null : container.networks().get(registry.network()), state,
                display(state, registry.isMirror(), reachable, mode), reachable,
                answer == null || answer.ok() ? null : answer.error(), registry.url(), registry.upstream(),
                shared ? List.copyOf(observed.sharedUsers()) : List.of(), logged == null ? null : logged.state(),
                registry.pushAddress(), mode, upstream == null ? null : upstream.loginState().label(),
                upstream == null ? null : upstream.problem(), observed.budgets().get(registry.container()));
    }

    /** A mirror container's mode, from its label ({@code proxy} without one); null for others and missing ones. */
    public static String mode(boolean mirror, ContainerInfo container) {
        return !mirror || container == null ? null
                : MirrorMode.ofLabel(container.labels().get(Labels.MIRROR_MODE)).label();
    }

    static String display(String state, boolean mirror, Boolean reachable) {
        return display(state, mirror, reachable, null);
    }

    /** The state as the spec document prints it, with the likely cause where lo knows one. */
    static String display(String state, boolean mirror, Boolean reachable, String mode) {
        if ("running".equals(state) && MirrorMode.OFFLINE.label().equals(mode) && !Boolean.FALSE.equals(reachable)) {
            return "Running (offline: serving its cache)";
        }
        return switch (state) {
            case "running" -> Boolean.FALSE.equals(reachable)
                    ? (mirror ? "Running (not listening: upstream unreachable?)" : "Running (not answering)")
                    : "Running";
            case "restarting" -> mirror ? "Restarting (upstream unreachable?)" : "Restarting";
            case "exited", "created" -> "Stopped";
            case "missing" -> "Missing";
            default -> Character.toUpperCase(state.charAt(0)) + state.substring(1);
        };
    }

    private static List<Drift> drift(RegistryPlan plan, PlannedRegistry registry, Observed observed) {
        String domain = plan.domain();
        LoggedRegistry logged = observed.logged().get(registry.container());
        boolean own = !registry.isMirror();
        String addressNote = "expected " + registry.ip() + (own ? " (" + registry.name() + " is ."
                + lastOctet(registry.ip()) + " of the project subnet " + plan.projectNetwork().cidr() + ")" : "");
        var expected = new RegistryDrift.Expected(RegistryDrift.Source.PLAN, registry.container(), registry.network(),
                registry.ip(), registry.configHash(), logged == null ? null : logged.state(), registry.isMirror(),
                registry.upstream(), addressNote,
                own ? "lo registry clean && lo provision " + domain : "lo registry up " + domain,
                registry.isMirror() ? " (check that " + registry.upstream() + " is reachable from network '"
                        + registry.network() + "')" : "", registry.hostPort());
        return RegistryDrift.of(expected, observed.containers().get(registry.container()),
                observed.networks().get(registry.network()), domain);
    }

    private static String lastOctet(String ip) {
        return ip.substring(ip.lastIndexOf('.') + 1);
    }
}
