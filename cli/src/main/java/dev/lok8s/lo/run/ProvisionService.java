package dev.lok8s.lo.run;

import dev.lok8s.lo.containerd.CertsDirWriter;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.events.SubnetMismatchDetected;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.kube.ClusterRegistries;
import dev.lok8s.lo.observe.LoopbackPorts;
import dev.lok8s.lo.observe.MachineObserver;
import dev.lok8s.lo.observe.MachineSnapshot;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistriesOnly;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.SubnetMismatch;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.projection.RunDetail;
import dev.lok8s.lo.projection.RunStatus;
import dev.lok8s.lo.projection.RunSummary;
import dev.lok8s.lo.reconcile.Action;
import dev.lok8s.lo.reconcile.Change;
import dev.lok8s.lo.reconcile.EngineActions;
import dev.lok8s.lo.reconcile.HostPortRules;
import dev.lok8s.lo.reconcile.ProvisionRules;
import dev.lok8s.lo.reconcile.ProvisionSteps;
import dev.lok8s.lo.reconcile.RegistryTls;
import dev.lok8s.lo.reconcile.RunSnapshot;
import dev.lok8s.lo.reconcile.StepDecision;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.run.RunLifecycle.Resumable;
import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoredEvent;
import dev.lok8s.lo.tls.CaMaterial;
import dev.lok8s.lo.tls.MkcertAuthority;
import dev.lok8s.lo.tls.TlsPrerequisiteException;
import dev.lok8s.lo.upstream.MirrorUpstream;
import dev.lok8s.lo.upstream.MirrorUpstreams;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One provision of one project, end to end: refuse on a known subnet mismatch before touching
 * Docker, take the project's lease, resume the last failed or interrupted run when its plan is
 * unchanged (or start a new one), execute the steps, and release the lease.
 */
public final class ProvisionService {

    /** What the caller asked for beyond the plan. */
    public record Options(boolean fresh, boolean waitForLease, String commandLine, int parallelism,
                          Clock clock) {
    }

    private final EventStore store;
    private final ContainerEngine engine;
    private final KindExecutable kind;
    private final RegistryProbe probe;
    private final RunLifecycle lifecycle;
    private final KnownStates knownStates;
    private final Map<String, String> environment;
    private final MirrorUpstreams upstreams;

    /** @param upstreams finds each mirror's mode and login before a run decides; null to leave them unjudged */
    public ProvisionService(EventStore store, ContainerEngine engine, KindExecutable kind, RegistryProbe probe,
                            ProjectLeases leases, Map<String, String> environment, MirrorUpstreams upstreams) {
        this.environment = environment;
        this.upstreams = upstreams;
        this.store = store;
        this.engine = engine;
        this.kind = kind;
        this.probe = probe;
        this.lifecycle = new RunLifecycle(store, leases);
        this.knownStates = new KnownStates(store);
    }

    /** Records an attempt refused for bad input; nothing else is written and nothing on the machine changes. */
    public UUID reject(String domain, String project, String command, String reason, String commandLine) {
        return lifecycle.reject(domain, project, command, reason, commandLine);
    }

    public RunOutcome provision(ClusterSpec spec, RegistryPlan plan, Options options, ProgressListener progress) {
        return run(PROVISION, spec, plan, options, progress, null);
    }

    /**
     * {@code lo registry up}: the provision without the cluster and its connections (networks, image,
     * certificate, registries, certs.d, verify), as its own recorded, leased and resumable run.
     */
    public RunOutcome registriesUp(ClusterSpec spec, RegistryPlan plan, Options options, ProgressListener progress) {
        return run(REGISTRY_UP, spec, RegistriesOnly.of(plan), options, progress, null);
    }

    public static final String PROVISION = "provision";
    public static final String REGISTRY_UP = "registry up";

    /**
     * {@code lo resume}: continues the given failed or interrupted provision (or registry up) run of this plan's
     * project, if it ran this very plan.
     *
     * @throws RunNotResumableException when it completed, ran another plan or is of another project
     */
    public RunOutcome resume(UUID runId, ClusterSpec spec, RegistryPlan plan, Options options,
                             ProgressListener progress) {
        String command = ReadModels.of(store).runs().show(runId.toString()).map(d -> d.run().command())
                .orElseThrow(() -> new RunNotResumableException("no run " + ShortId.of(runId)
                        + " in the event store (lo runs lists them)"));
        return switch (command) {
            case PROVISION -> run(PROVISION, spec, plan, options, progress, runId);
            case REGISTRY_UP -> run(REGISTRY_UP, spec, RegistriesOnly.of(plan), options, progress, runId);
            default -> throw new RunNotResumableException("run " + ShortId.of(runId) + " is a '" + command
                    + "' run: only provision and registry up runs resume; rerun the command instead");
        };
    }

    private RunOutcome run(String command, ClusterSpec spec, RegistryPlan plan, Options options, ProgressListener progress,
                           UUID explicitRun) {
        // 1. Known mismatches, from the log alone, before any Docker call.
        List<SubnetMismatch> mismatches = ReadModels.of(store).subnetMismatches().check(spec);
        if (!mismatches.isEmpty()) {
            List<LoEvent> detected = new ArrayList<>();
            for (SubnetMismatch m : mismatches) {
                detected.add(new SubnetMismatchDetected(plan.domain(), plan.project(), m.network(), m.existingCidr(),
                        m.expectedCidr(), m.otherProject()));
            }
            List<Reason> reasons = mismatches.stream().map(SubnetMismatch::reason).toList();
            UUID runId = lifecycle.reject(plan.domain(), plan.project(), command,
                    reasons.stream().map(Reason::recorded).collect(Collectors.joining("\n")), options.commandLine(),
                    detected);
            return new RunOutcome(runId, RunOutcome.Failure.REFUSED, "check-subnets", reasons, List.of(), Map.of(), 0);
        }

        // The mirrors' upstreams need only the plan: asked from here on, beside the checks below, the lease, the
        // run's start and the observation, and joined when the rules are made (not before the refusal from the log
        // above, which asks nothing else). A run that may wait for another's lease asks once it holds it.
        Ahead<Map<String, MirrorUpstream>> mirrorUpstreams = new Ahead<>(() -> upstreams(plan),
                "looking up the mirrors' upstreams");
        boolean ahead = upstreams != null && !upstreamInPlannedNetwork(plan);
        if (ahead && !options.waitForLease()) {
            mirrorUpstreams.start();
        }
        try {
            return run(command, plan, options, progress, explicitRun, mirrorUpstreams, ahead);
        } finally {
            mirrorUpstreams.cancel(); // a refused run, a busy lease: nobody asks for the answers
        }
    }

    /** A run past the refusal from the log: the CA, the host ports, then the lease and the steps. */
    private RunOutcome run(String command, RegistryPlan plan, Options options, ProgressListener progress,
                           UUID explicitRun, Ahead<Map<String, MirrorUpstream>> mirrorUpstreams, boolean ahead) {
        // 2. TLS needs mkcert's CA: refused, before any change, when it is missing.
        CaCheck caCheck = checkCa(plan);
        Optional<Reason> tlsRefusal = ProvisionRules.tlsRefusal(plan, caCheck.problem());
        if (tlsRefusal.isPresent()) {
            UUID runId = reject(plan.domain(), plan.project(), command, tlsRefusal.get().recorded(),
                    options.commandLine());
            return new RunOutcome(runId, RunOutcome.Failure.REFUSED, "tls-cert", List.of(tlsRefusal.get()), List.of(),
                    Map.of(), 0);
        }
        RegistryTls tls = caCheck.ca() == null ? null : new RegistryTls(plan, caCheck.ca(), options.clock());

        // 2b. The host ports build and cache are published on: free, or already this project's.
        List<Reason> portConflicts = hostPortConflicts(plan);
        if (!portConflicts.isEmpty()) {
            UUID runId = reject(plan.domain(), plan.project(), command,
                    portConflicts.stream().map(Reason::recorded).collect(Collectors.joining("\n")),
                    options.commandLine());
            return new RunOutcome(runId, RunOutcome.Failure.REFUSED, HOST_PORTS_CHECK, portConflicts, List.of(),
                    Map.of(), 0);
        }

        // 3. The lease, then what to resume (which cannot change under us once the lease is held: a run we
        //    waited for may have completed the very run we would otherwise resume).
        RegistryTls runTls = tls;
        long started = System.nanoTime();
        RunLifecycle.Start start = new RunLifecycle.Start(command, plan.domain(), plan.project(), plan.hash(),
                options.commandLine(), plan.steps().size());
        // Both asked once the lease is held: what the log knows, and one look at the machine (taken by the
        // resume check, else when the first step is decided).
        RunStreams streams = new RunStreams();
        Once<ProvisionRules> rules = new Once<>(() -> new ProvisionRules(plan, knownStates.of(plan, streams),
                runTls == null ? null : runTls.ca(), options.clock().instant(), mirrorUpstreams.get(),
                ClusterRegistries.enabled()));
        Once<MachineSnapshot> observed = new Once<>(() -> new MachineObserver(engine).observe(plan));
        return lifecycle.run(start, options.waitForLease(), () -> {
            if (ahead) {
                mirrorUpstreams.start(); // the lease is held: now, if not yet
            }
            Optional<Resumable> resumable;
            if (explicitRun != null) {
                resumable = Optional.of(explicitlyResumable(command, explicitRun, plan));
            } else {
                resumable = options.fresh() ? Optional.empty() : resumable(command, plan);
                if (resumable.isEmpty()) {
                    lastUnfinished(command, plan).ifPresent(previous -> progress.note((options.fresh()
                            ? "--fresh: not resuming run " + ShortId.of(previous.runId())
                            : "plan changed since run " + ShortId.of(previous.runId()))
                            + " (" + previous.status() + "): starting a new run that converges from the current state"));
                }
            }
            return resumable.map(recorded -> checkedAgainstMachine(recorded, rules.get(), observed, progress));
        }, progress, streams, (runId, sink, done) -> {
            // 4. Decide and act step by step, against the machine as observed once.
            RunSnapshot machine = new RunSnapshot(observed);
            EngineActions actions = new EngineActions(plan, rules.get().upstreams(), machine, engine, kind,
                    new CertsDirWriter(), probe, runTls, progress::note);
            return new StepExecutor(sink, options.parallelism()).startedAt(started).execute(runId, plan.domain(), plan.project(),
                    plan.steps(), new ProvisionSteps(rules.get(), machine, actions), done, progress);
        });
    }

    /**
     * Whether some mirror's upstream is an address in a network of the plan. Its check then depends on which of
     * those networks the machine has ({@link MirrorUpstreams}: one not created yet is not asked), which another
     * project's run may change up to the moment this run decides: such upstreams are asked when the rules are
     * made, as they always were, not ahead. Pure.
     */
    static boolean upstreamInPlannedNetwork(RegistryPlan plan) {
        List<Cidr> planned = plan.networks().stream().map(n -> Cidr.parse(n.cidr())).toList();
        return plan.registries().stream().filter(PlannedRegistry::isMirror)
                .map(r -> ipv4Host(r.upstream()))
                .anyMatch(host -> host != null && planned.stream().anyMatch(subnet -> subnet.contains(host)));
    }

    /** The host of an upstream URL when it is an IPv4 address; null otherwise. */
    private static String ipv4Host(String upstream) {
        try {
            String host = URI.create(upstream).getHost();
            if (host == null) {
                return null;
            }
            Cidr.parseAddress(host);
            return host;
        } catch (IllegalArgumentException notAnAddress) {
            return null;
        }
    }

    /** What a run refused for a taken host port names as its failed step. */
    public static final String HOST_PORTS_CHECK = "check-host-ports";

    /**
     * Refusals for host ports that another container or process holds. An engine that does not answer
     * leaves the check to the run, which fails on it and records so.
     */
    List<Reason> hostPortConflicts(RegistryPlan plan) {
        Map<String, Integer> planned = HostPortRules.planned(plan);
        if (planned.isEmpty()) {
            return List.of();
        }
        // Ports first, containers second: a registry of this project that another run of it starts in
        // between is then in the list as the port's owner, not taken for a stranger's process.
        Set<Integer> unbindable = LoopbackPorts.unbindable(planned.values());
        List<ContainerInfo> containers;
        try {
            containers = engine.listContainers(Map.of());
        } catch (EngineUnavailableException e) {
            return List.of();
        }
        return HostPortRules.conflicts(plan, containers, unbindable);
    }

    /**
     * The run to resume, with the steps it recorded done checked against the machine: those whose effect
     * is gone (a destroy since, a container removed by hand) are done again instead of skipped. A machine
     * that cannot be looked at now confirms none of them: every step runs again, and the first fails
     * with the engine's error, recorded like any step's.
     */
    private static Resumable checkedAgainstMachine(Resumable recorded, ProvisionRules rules,
                                                   Supplier<MachineSnapshot> observed,
                                                   ProgressListener progress) {
        MachineSnapshot snapshot;
        try {
            snapshot = observed.get();
        } catch (RuntimeException cannotLook) {
            progress.note("cannot look at the machine to check the " + recorded.completedSteps().size()
                    + " steps run " + ShortId.of(recorded.runId()) + " recorded done: none is skipped");
            return new Resumable(recorded.runId(), Set.of());
        }
        List<String> redo = rules.stepsToRedo(recorded.completedSteps(), snapshot);
        Set<String> done = new LinkedHashSet<>(recorded.completedSteps());
        redo.forEach(done::remove);
        return new Resumable(recorded.runId(), done, redo);
    }

    /** A value made once, on first use, by the thread that asks first; a failure is not kept. */
    private static final class Once<T> implements Supplier<T> {
        private final Supplier<T> make;
        private T value;

        Once(Supplier<T> make) {
            this.make = make;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = make.get();
            }
            return value;
        }
    }

    /** mkcert's CA in TLS mode, or why it cannot be had; neither when TLS is off. */
    private record CaCheck(CaMaterial ca, Reason problem) {
    }

    private CaCheck checkCa(RegistryPlan plan) {
        if (!plan.tls()) {
            return new CaCheck(null, null);
        }
        try {
            return new CaCheck(new MkcertAuthority(environment).check(), null);
        } catch (TlsPrerequisiteException e) {
            return new CaCheck(null, e.reason());
        }
    }

    /** The actions a provision of {@code plan} would take now, against the live machine; changes nothing. */
    public List<StepDecision<Change.Provision>> dryRun(RegistryPlan plan, Clock clock) {
        CaCheck caCheck = checkCa(plan);
        MachineSnapshot observed = new MachineObserver(engine).observe(plan);
        ProvisionRules rules = new ProvisionRules(plan, knownStates.of(plan), caCheck.ca(), clock.instant(),
                upstreams(plan), ClusterRegistries.enabled(), caCheck.problem());
        return withHostPortRefusals(rules.decideAll(observed), hostPortConflicts(plan));
    }

    /**
     * The dry run's decisions with the host port refusals the run would meet first (before any step) shown on
     * its first step, check-subnets, which every change waits for.
     */
    private static List<StepDecision<Change.Provision>> withHostPortRefusals(
            List<StepDecision<Change.Provision>> decisions, List<Reason> conflicts) {
        if (conflicts.isEmpty() || decisions.isEmpty()) {
            return decisions;
        }
        List<StepDecision<Change.Provision>> out = new ArrayList<>(decisions);
        StepDecision<Change.Provision> first = out.getFirst();
        List<Action<Change.Provision>> actions = new ArrayList<>();
        conflicts.forEach(reason -> actions.add(Action.refuse(HOST_PORTS_CHECK, reason)));
        actions.addAll(first.actions());
        out.set(0, new StepDecision<>(first.plannedStep(), first.outcome(), actions, first.warnings()));
        return out;
    }

    /** Each mirror's upstream now (mode, login); none when this service does not judge them. */
    private Map<String, MirrorUpstream> upstreams(RegistryPlan plan) {
        return upstreams == null ? Map.of() : upstreams.resolve(plan);
    }

    /** A run that cannot be resumed as asked: it completed, ran another plan, or belongs to another project. */
    public static final class RunNotResumableException extends IllegalArgumentException {
        public RunNotResumableException(String message) {
            super(message);
        }
    }

    private Resumable explicitlyResumable(String command, UUID runId, RegistryPlan plan) {
        var verdict = ResumeRules.explicit(runId, ReadModels.of(store).runs().show(runId.toString())
                        .map(RunDetail::run), store.machine().id(), command, plan, runEvents(runId));
        return switch (verdict) {
            case ResumeRules.Verdict.Resume resume -> resume.resumable();
            case ResumeRules.Verdict.Refuse refuse -> throw new RunNotResumableException(refuse.message());
        };
    }

    /** The project's last run of {@code command} (rejected attempts aside), if it failed or was interrupted. */
    private Optional<RunSummary> lastUnfinished(String command, RegistryPlan plan) {
        return ReadModels.of(store).runs().list(plan.domain(), List.of(store.machine().id()), 50).stream()
                .filter(run -> plan.project().equals(run.project()) && command.equals(run.command())
                        && run.status() != RunStatus.rejected)
                .findFirst()
                .filter(run -> run.status() == RunStatus.failed || run.status() == RunStatus.interrupted);
    }

    private Optional<Resumable> resumable(String command, RegistryPlan plan) {
        return lastUnfinished(command, plan).flatMap(run -> completedSteps(run.runId(), plan));
    }

    /** The steps a run completed, if it ran {@code plan}. */
    private Optional<Resumable> completedSteps(UUID runId, RegistryPlan plan) {
        return ResumeRules.recorded(runId, plan, runEvents(runId));
    }

    private List<LoEvent> runEvents(UUID runId) {
        return store.readStream(Streams.run(runId)).stream().map(StoredEvent::event).toList();
    }
}
