package dev.lok8s.lo.run;

import dev.lok8s.lo.cache.MirrorLogService;
import dev.lok8s.lo.cache.MirrorStorage;
import dev.lok8s.lo.cache.PruneChoice;
import dev.lok8s.lo.cache.RegistryHttp;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineException;
import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.events.CachePruned;
import dev.lok8s.lo.events.ImagePruned;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.spec.CacheLimits;
import dev.lok8s.lo.store.EventStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code lo registry prune}: per pull-through mirror of the plan, what {@link PruneChoice} picks from the
 * images its volume holds, least recently pulled first ("last pulled" from the read model lo keeps of
 * what each mirror served, brought up to date first). A dry run looks through a read-only maintenance
 * registry beside the running mirror and changes nothing. A prune is a run ({@link RunLifecycle}: the
 * project's lease, RunStarted, a step and events per mirror, RunCompleted or RunFailed): the mirror is
 * stopped, the chosen manifests are deleted through a maintenance registry on its volume, distribution's
 * garbage collection frees the blobs no remaining manifest uses, and the mirror is started again.
 */
public final class PruneService {

    public static final String COMMAND = "registry prune";

    /** One mirror's prune (or, in a dry run, what it would be). */
    public record MirrorPrune(String mirror, String container, String state, Long volumeBefore, Long volumeAfter,
                              PruneChoice.Choice choice, int blobsDeleted, String error) {
    }

    /** @param runId null for a dry run (nothing is recorded) */
    public record Outcome(UUID runId, List<MirrorPrune> mirrors, RunOutcome run) {
        public Outcome {
            mirrors = List.copyOf(mirrors);
        }
    }

    private final EventStore store;
    private final ContainerEngine engine;
    private final RunLifecycle lifecycle;
    private final MirrorLogService logs;

    public PruneService(EventStore store, ContainerEngine engine, ProjectLeases leases) {
        this.store = store;
        this.engine = engine;
        this.lifecycle = new RunLifecycle(store, leases);
        this.logs = new MirrorLogService(store, engine);
    }

    /** Records a prune refused for bad input; nothing else is written and nothing on the machine changes. */
    public UUID reject(RegistryPlan plan, Reason reason, String commandLine) {
        return lifecycle.reject(plan.domain(), plan.project(), COMMAND, reason.recorded(), commandLine);
    }

    /** What a prune with these limits would remove now; the mirrors keep serving. */
    public Outcome dryRun(RegistryPlan plan, CacheLimits limits, String commandLine, Instant now) {
        List<MirrorPrune> results = new ArrayList<>();
        Map<String, Long> sizes = engine.volumeSizes();
        for (PlannedRegistry mirror : mirrors(plan)) {
            Optional<ContainerInfo> container = engine.findContainer(mirror.container());
            Long before = sizes.get(mirror.volume());
            if (container.isEmpty() || before == null) {
                results.add(new MirrorPrune(mirror.name(), mirror.container(), state(container), before, before,
                        null, 0, null));
                continue;
            }
            logs.catchUp(plan, mirror, null, commandLine);
            try (MirrorStorage storage = MirrorStorage.open(engine, plan.image(), mirror, false)) {
                PruneChoice.Choice choice = choose(mirror, storage, before, limits, now);
                results.add(new MirrorPrune(mirror.name(), mirror.container(), state(container), before, choice.after(),
                        choice, 0, null));
            } catch (RegistryHttp.RegistryException | EngineException e) {
                if (e instanceof EngineUnavailableException u) {
                    throw u;
                }
                results.add(new MirrorPrune(mirror.name(), mirror.container(), state(container), before, before, null,
                        0, e.getMessage()));
            }
        }
        return new Outcome(null, results, null);
    }

    public Outcome prune(RegistryPlan plan, CacheLimits limits, boolean waitForLease, String commandLine,
                         ProgressListener progress, Instant now) {
        long started = System.nanoTime();
        List<PlannedRegistry> mirrors = mirrors(plan);
        List<MirrorPrune> results = new ArrayList<>();
        RunLifecycle.Start start = new RunLifecycle.Start(COMMAND, plan.domain(), plan.project(), plan.hash(),
                commandLine, mirrors.size());
        RunOutcome outcome = lifecycle.run(start, waitForLease, Optional::empty, progress, (runId, sink, done) -> {
            String stream = Streams.run(runId);
            Map<String, StepOutcome> steps = new LinkedHashMap<>();
            List<Reason> reasons = new ArrayList<>();
            String failedStep = null;
            RunOutcome.Failure failure = RunOutcome.Failure.NONE;
            for (PlannedRegistry mirror : mirrors) {
                String step = "prune:" + mirror.container();
                long stepStart = System.nanoTime();
                try {
                    MirrorPrune result = pruneOne(plan, mirror, limits, runId, sink, stream, commandLine, progress, now);
                    results.add(result);
                    StepOutcome stepOutcome = result.choice() == null || result.choice().removals().isEmpty()
                            ? StepOutcome.unchanged : StepOutcome.removed;
                    steps.put(step, stepOutcome);
                    sink.append(stream, List.of(new StepCompleted(runId, plan.domain(), plan.project(), step,
                            stepOutcome, (System.nanoTime() - stepStart) / 1_000_000)));
                } catch (RegistryHttp.RegistryException | EngineException e) {
                    results.add(new MirrorPrune(mirror.name(), mirror.container(), null, null, null, null, 0,
                            e.getMessage()));
                    reasons.add(Reason.of(mirror.container() + ": " + e.getMessage()));
                    if (failedStep == null) {
                        failedStep = step;
                        failure = e instanceof EngineUnavailableException ? RunOutcome.Failure.ENGINE_UNAVAILABLE
                                : RunOutcome.Failure.FAILED;
                    }
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            LoEvent end = failedStep == null
                    ? new RunCompleted(runId, plan.domain(), plan.project(), millis)
                    : new RunFailed(runId, plan.domain(), plan.project(), failedStep,
                    String.join("\n", reasons.stream().map(Reason::recorded).toList()));
            sink.append(stream, List.of(end));
            return new RunOutcome(runId, failure, failedStep, reasons, List.of(), steps, millis);
        });
        return new Outcome(outcome.runId(), results, outcome);
    }

    private MirrorPrune pruneOne(RegistryPlan plan, PlannedRegistry mirror, CacheLimits limits, UUID runId,
                                 EventSink sink, String stream, String commandLine, ProgressListener progress,
                                 Instant now) {
        Optional<ContainerInfo> container = engine.findContainer(mirror.container());
        Long before = engine.volumeSizes().get(mirror.volume());
        if (container.isEmpty() || before == null) {
            progress.note(mirror.container() + ": " + (container.isEmpty() ? "no container" : "no volume")
                    + ", nothing to prune");
            return new MirrorPrune(mirror.name(), mirror.container(), state(container), before, before, null, 0, null);
        }
        logs.catchUp(plan, mirror, runId, commandLine);
        boolean wasRunning = container.get().upOrRestarting();
        PruneChoice.Choice choice;
        MirrorStorage.Collected collected = null;
        // stopped for the deletes and the collection: a collection beside a live registry can delete a blob
        // a pull is storing at that moment (distribution documents it); nodes see the mirror refuse meanwhile
        engine.stopContainer(mirror.container());
        try {
            try (MirrorStorage storage = MirrorStorage.open(engine, plan.image(), mirror, true)) {
                choice = choose(mirror, storage, before, limits, now);
                for (PruneChoice.Removal removal : choice.removals()) {
                    for (String manifest : removal.manifests()) {
                        storage.delete(removal.image().repository(), manifest);
                    }
                    progress.note("pruned " + removal.image().name() + " from " + mirror.container() + " ("
                            + removal.bytes() + " bytes, " + removal.reason() + ")");
                    sink.append(stream, List.of(new ImagePruned(runId, plan.domain(), plan.project(),
                            mirror.container(), removal.image().name(), removal.image().digest(), removal.bytes(),
                            removal.image().lastPulled())));
                }
            }
            if (!choice.removals().isEmpty()) {
                collected = MirrorStorage.collect(engine, plan.image(), mirror);
                if (!collected.ok()) {
                    throw new EngineException("the garbage collection of " + mirror.volume() + " exited with "
                            + collected.exitCode() + ": " + collected.tail(), null);
                }
            }
        } finally {
            if (wasRunning) {
                engine.startContainer(mirror.container());
            }
        }
        Long after = engine.volumeSizes().get(mirror.volume());
        int deleted = collected == null ? 0 : collected.blobsDeleted();
        sink.append(stream, List.of(new CachePruned(runId, plan.domain(), plan.project(), mirror.container(),
                choice.removals().size(), before, after == null ? -1 : after, deleted)));
        return new MirrorPrune(mirror.name(), mirror.container(), state(container), before, after, choice, deleted,
                null);
    }

    private PruneChoice.Choice choose(PlannedRegistry mirror, MirrorStorage storage, long volumeBytes,
                                      CacheLimits limits, Instant now) {
        Map<String, Instant> pulls = ReadModels.of(store).mirrorTraffic().lastPulls(mirror.container());
        List<PruneChoice.CachedImage> images = storage.images().stream()
                .map(s -> new PruneChoice.CachedImage(s.repository(), s.digest(), s.tags(), s.manifests(), s.blobs(),
                        PruneChoice.lastPulled(s.repository(), s.tags(), s.manifests(), pulls)))
                .toList();
        return PruneChoice.choose(images, volumeBytes, limits, now);
    }

    private static List<PlannedRegistry> mirrors(RegistryPlan plan) {
        return plan.registries().stream().filter(PlannedRegistry::isMirror).toList();
    }

    private static String state(Optional<ContainerInfo> container) {
        return container.map(ContainerInfo::state).orElse("missing");
    }
}
