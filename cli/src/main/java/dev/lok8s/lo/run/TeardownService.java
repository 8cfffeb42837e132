package dev.lok8s.lo.run;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.observe.MachineObserver;
import dev.lok8s.lo.observe.MachineSnapshot;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.plan.TeardownPlan;
import dev.lok8s.lo.reconcile.KnownState;
import dev.lok8s.lo.reconcile.RunSnapshot;
import dev.lok8s.lo.reconcile.TeardownActions;
import dev.lok8s.lo.reconcile.TeardownRules;
import dev.lok8s.lo.reconcile.TeardownSteps;
import dev.lok8s.lo.store.EventStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code lo registry down}, {@code lo registry clean} and {@code lo destroy} as runs: find lo's
 * resources by label, plan the teardown, then, through the {@link RunLifecycle}, observe the machine
 * once, decide each step with {@link TeardownRules} and act ({@link StepExecutor} records them).
 */
public final class TeardownService {

    /** What the caller asked for beyond the plan. */
    public record Options(boolean waitForLease, String commandLine, int parallelism) {
    }

    private final EventStore store;
    private final ContainerEngine engine;
    private final KindExecutable kind;
    private final RunLifecycle lifecycle;
    private final KnownStates knownStates;

    public TeardownService(EventStore store, ContainerEngine engine, KindExecutable kind, ProjectLeases leases) {
        this.store = store;
        this.engine = engine;
        this.kind = kind;
        this.lifecycle = new RunLifecycle(store, leases);
        this.knownStates = new KnownStates(store);
    }

    public RunOutcome down(RegistryPlan plan, Options options, ProgressListener progress) {
        return execute(plan, TeardownPlan.down(plan), false, options, progress);
    }

    public RunOutcome clean(RegistryPlan plan, boolean shared, boolean force, Options options,
                            ProgressListener progress) {
        TeardownPlan teardown = TeardownPlan.clean(plan, shared, found(plan, shared && plan.shared()));
        if (shared && plan.shared() && !force) {
            // Refuse before anything changes: other projects' nodes (or other containers) use the shared network.
            MachineSnapshot snapshot = new MachineObserver(engine).observe(plan, false);
            List<TeardownRules.Attached> foreign = TeardownRules.foreignAttachments(snapshot,
                    plan.sharedNetwork().name(), plan.clusterName());
            if (!foreign.isEmpty()) {
                Reason reason = TeardownRules.inUse(plan.sharedNetwork().name(), foreign, plan.domain());
                UUID runId = lifecycle.reject(plan.domain(), plan.project(), teardown.command(), reason.recorded(),
                        options.commandLine());
                return new RunOutcome(runId, RunOutcome.Failure.REFUSED, "disconnect:" + plan.sharedNetwork().name(),
                        List.of(reason), List.of(), Map.of(), 0);
            }
        }
        return execute(plan, teardown, force, options, progress);
    }

    public RunOutcome destroy(RegistryPlan plan, Options options, ProgressListener progress) {
        return execute(plan, TeardownPlan.destroy(plan, found(plan, false)), false, options, progress);
    }

    private RunOutcome execute(RegistryPlan plan, TeardownPlan teardown, boolean force, Options options,
                               ProgressListener progress) {
        long started = System.nanoTime();
        RunLifecycle.Start start = new RunLifecycle.Start(teardown.command(), plan.domain(), plan.project(),
                plan.hash(), options.commandLine(), teardown.steps().size());
        RunStreams streams = new RunStreams();
        return lifecycle.run(start, options.waitForLease(), Optional::empty, progress, streams, (runId, sink, done) -> {
            KnownState known = knownStates.of(plan, streams);
            RunSnapshot machine = new RunSnapshot(() -> new MachineObserver(engine).observe(plan, false));
            TeardownActions actions = new TeardownActions(machine, engine,
                    kindFor(kind, known, plan.clusterName(), progress::note), progress::note);
            return new StepExecutor(sink, options.parallelism()).startedAt(started).execute(runId, plan.domain(), plan.project(),
                    teardown.steps(), new TeardownSteps(new TeardownRules(plan, known, force), machine, actions), done,
                    progress);
        });
    }

    /**
     * The configured kind; when there is none, the kind executable that created this cluster (the log
     * records it), so a cluster provisioned with another kind can still be deleted. Says so.
     */
    static KindExecutable kindFor(KindExecutable configured, KnownState known, String cluster,
                                  Consumer<String> note) {
        if (configured.locate().isPresent()) {
            return configured;
        }
        String recorded = known.clusterKinds().get(cluster);
        if (recorded == null) {
            return configured;
        }
        KindExecutable created = configured.at(recorded);
        if (created.locate().isEmpty()) {
            return configured;
        }
        note.accept("no kind executable configured or on the PATH: using " + recorded + ", which created cluster "
                + cluster + " (recorded in the log)");
        return created;
    }

    /**
     * lo's containers and volumes of this project (by the project label), and with {@code shared} the
     * shared mirrors on the plan's shared network and their volumes, all found by label.
     */
    public TeardownPlan.Found found(RegistryPlan plan, boolean shared) {
        List<TeardownPlan.Resource> containers = new ArrayList<>();
        List<TeardownPlan.Resource> volumes = new ArrayList<>();
        Map<String, String> projectSelector = selector(plan, Scope.PROJECT);
        projectSelector.put(Labels.PROJECT, plan.project());
        for (ContainerInfo c : engine.listContainers(projectSelector)) {
            role(c.labels().get(Labels.ROLE)).ifPresent(role ->
                    containers.add(new TeardownPlan.Resource(c.name(), role, Scope.PROJECT)));
        }
        for (Role role : Role.values()) {
            Map<String, String> s = new LinkedHashMap<>(projectSelector);
            s.put(Labels.ROLE, role.label());
            engine.listVolumes(s).forEach(v -> volumes.add(new TeardownPlan.Resource(v, role, Scope.PROJECT)));
        }
        if (shared) {
            Map<String, String> sharedSelector = selector(plan, Scope.SHARED);
            sharedSelector.put(Labels.ROLE, Role.MIRROR.label());
            for (ContainerInfo c : engine.listContainers(sharedSelector)) {
                if (c.networks().containsKey(plan.sharedNetwork().name())) {
                    containers.add(new TeardownPlan.Resource(c.name(), Role.MIRROR, Scope.SHARED));
                    // A mirror's volume is named after it (Planner); it must carry lo's labels to be removed.
                    volumes.add(new TeardownPlan.Resource(c.name() + "-data", Role.MIRROR, Scope.SHARED));
                }
            }
        }
        return new TeardownPlan.Found(containers, volumes);
    }

    /** lo's labels for a scope, plus the configured extra labels (tests' dev.lok8s.test) that every resource has. */
    private static Map<String, String> selector(RegistryPlan plan, Scope scope) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.MANAGED_BY, Labels.MANAGED_BY_LO);
        selector.put(Labels.SCOPE, scope.label());
        plan.projectNetwork().labels().forEach((k, v) -> {
            if (!Labels.RESERVED.contains(k)) {
                selector.put(k, v);
            }
        });
        return selector;
    }

    private static Optional<Role> role(String label) {
        for (Role role : Role.values()) {
            if (role.label().equals(label)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
