package dev.lok8s.lo.run;

import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.plan.RegistryPlan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Executes a plan's steps and records them: each step's effect events first (on the project or
 * shared-network stream), then its StepCompleted on the run stream, and only after the step's
 * effect is confirmed. A process killed between the two leaves the step without StepCompleted;
 * a resumed run re-runs it, and the ensure-operation finds its effect already there.
 */
public final class Provisioner {

    private final EventSink sink;
    private final int parallelism;

    public Provisioner(EventSink sink, int parallelism) {
        this.sink = sink;
        this.parallelism = parallelism;
    }

    public static String runStream(UUID runId) {
        return "run-" + runId;
    }

    /**
     * Runs every step of {@code plan} not in {@code alreadyCompleted}, then appends RunCompleted or RunFailed.
     * The caller has appended RunStarted.
     */
    public RunOutcome execute(UUID runId, RegistryPlan plan, Function<PlannedStep, StepResult> steps,
                              Set<String> alreadyCompleted, ProgressListener progress) {
        return execute(runId, plan.domain(), plan.project(), plan.steps(), steps, alreadyCompleted, progress);
    }

    /** Like {@link #execute(UUID, RegistryPlan, Function, Set, ProgressListener)} for any ordered steps (teardown). */
    public RunOutcome execute(UUID runId, String domain, String project, List<PlannedStep> planned,
                              Function<PlannedStep, StepResult> steps, Set<String> alreadyCompleted,
                              ProgressListener progress) {
        long start = System.nanoTime();
        Map<String, StepOutcome> outcomes = Collections.synchronizedMap(new LinkedHashMap<>());
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> startedAt = new java.util.concurrent.ConcurrentHashMap<>();
        alreadyCompleted.forEach(id -> outcomes.put(id, StepOutcome.skipped));

        StepScheduler.Done<StepResult> failure = new StepScheduler(parallelism).run(planned, alreadyCompleted,
                step -> {
                    startedAt.put(step.id(), System.nanoTime());
                    progress.stepStarted(step);
                    FaultInjection.maybeCrash(step.id(), "before-effect");
                    StepResult result = steps.apply(step);
                    record(runId, domain, project, step, result, millisSince(startedAt.get(step.id())));
                    return result;
                },
                done -> {
                    long millis = millisSince(startedAt.getOrDefault(done.step().id(), System.nanoTime()));
                    if (done.failure() == null) {
                        outcomes.put(done.step().id(), done.value().outcome());
                        warnings.addAll(done.value().warnings());
                        progress.stepFinished(done.step(), done.value(), millis);
                    } else {
                        progress.stepFailed(done.step(), message(done.failure()), millis);
                    }
                });

        long millis = millisSince(start);
        if (failure == null) {
            sink.append(runStream(runId), List.of(new RunCompleted(runId, domain, project, millis)));
            return new RunOutcome(runId, RunOutcome.Failure.NONE, null, null, List.copyOf(warnings),
                    Map.copyOf(outcomes), millis);
        }
        String error = message(failure.failure());
        RunOutcome.Failure kind = switch (failure.failure()) {
            case StepFailedException sfe when sfe.refused() -> RunOutcome.Failure.REFUSED;
            case EngineUnavailableException ignored -> RunOutcome.Failure.ENGINE_UNAVAILABLE;
            default -> RunOutcome.Failure.FAILED;
        };
        appendFailure(runId, domain, project, failure.step().id(), error, failure.failure());
        return new RunOutcome(runId, kind, failure.step().id(), error, List.copyOf(warnings), Map.copyOf(outcomes),
                millis);
    }

    private void appendFailure(UUID runId, String domain, String project, String step, String error, RuntimeException cause) {
        if (cause instanceof dev.lok8s.lo.store.StoreException storeGone) {
            // The store itself failed (after its retries): recording RunFailed would fail the same way.
            // The run stays recorded as running; once its process is gone it is interrupted and resumable.
            throw storeGone;
        }
        try {
            sink.append(runStream(runId), List.of(new RunFailed(runId, domain, project, step, error)));
        } catch (RuntimeException storeFailure) {
            cause.addSuppressed(storeFailure);
            throw new IllegalStateException("step " + step + " failed (" + error + ") and the failure could not be "
                    + "recorded: " + storeFailure.getMessage(), cause);
        }
    }

    private void record(UUID runId, String domain, String project, PlannedStep step, StepResult result, long millis) {
        Map<String, List<LoEvent>> byStream = new LinkedHashMap<>();
        for (Effect effect : result.effects()) {
            byStream.computeIfAbsent(effect.streamId(), k -> new ArrayList<>()).add(effect.event());
        }
        byStream.forEach(sink::append);
        FaultInjection.maybeCrash(step.id(), "after-effect");
        sink.append(runStream(runId), List.of(new StepCompleted(runId, domain, project, step.id(),
                result.outcome(), millis)));
    }

    static String message(RuntimeException e) {
        if (e instanceof StepFailedException || e instanceof EngineUnavailableException
                || e instanceof dev.lok8s.lo.engine.EngineException || e instanceof dev.lok8s.lo.kind.KindException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
