package dev.lok8s.lo.run;

import dev.lok8s.lo.engine.EngineException;
import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.events.Streams;
import dev.lok8s.lo.failure.Reason;
import dev.lok8s.lo.kind.KindException;
import dev.lok8s.lo.plan.PlannedStep;
import dev.lok8s.lo.reconcile.Change;
import dev.lok8s.lo.reconcile.Effect;
import dev.lok8s.lo.reconcile.StepDecision;
import dev.lok8s.lo.reconcile.StepFailedException;
import dev.lok8s.lo.reconcile.StepHandler;
import dev.lok8s.lo.reconcile.StepResult;
import dev.lok8s.lo.store.StoreException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Walks a run's steps as a dependency graph (the {@link StepScheduler}, concurrently where
 * independent) and records them. For each step: decide (pure), then
 * <ul>
 *   <li>a step that changes or records something: first commit the StepCompleted events still
 *   pending, then act, store the step's events, then its StepCompleted, so a process killed in
 *   between leaves that step without StepCompleted and a resumed run does it again (and finds its
 *   effect there);</li>
 *   <li>a step with nothing to do, in a run that changes something: its StepCompleted is committed
 *   at once, so every step that finished before a crash is on record and a resumed run starts
 *   after it;</li>
 *   <li>a run where nothing is to be done (every remaining step, decided against the first
 *   snapshot, neither changes nor records anything): the StepCompleted events wait and go with
 *   RunCompleted in one append. A crash there loses only records of steps that changed nothing,
 *   and the resumed run decides them again.</li>
 * </ul>
 * A refusal stops the run before that step changes anything.
 */
public final class StepExecutor {

    private final EventSink sink;
    private final int parallelism;
    private final List<LoEvent> pending = new ArrayList<>();
    /** Null until the first step runs; see {@link #nothingToDo}. */
    private Boolean nothingToDo;
    private long startedAt = System.nanoTime();

    public StepExecutor(EventSink sink, int parallelism) {
        this.sink = sink;
        this.parallelism = parallelism;
    }

    /** When the run began (its lease and observation included), for the run's recorded duration. */
    public StepExecutor startedAt(long nanoTime) {
        this.startedAt = nanoTime;
        return this;
    }

    /** Runs every step not in {@code alreadyCompleted}, then appends RunCompleted or RunFailed. The caller appended RunStarted. */
    public <C extends Change> RunOutcome execute(UUID runId, String domain, String project, List<PlannedStep> planned,
                                                 StepHandler<C> handler, Set<String> alreadyCompleted,
                                                 ProgressListener progress) {
        long start = startedAt;
        Map<String, StepOutcome> outcomes = Collections.synchronizedMap(new LinkedHashMap<>());
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> startedAt = new ConcurrentHashMap<>();
        alreadyCompleted.forEach(id -> outcomes.put(id, StepOutcome.skipped));
        String runStream = Streams.run(runId);

        StepScheduler.Done<StepResult> failure = new StepScheduler(parallelism).run(planned, alreadyCompleted,
                step -> {
                    startedAt.put(step.id(), System.nanoTime());
                    progress.stepStarted(step);
                    StepDecision<C> decision = handler.decide(step);
                    decision.refusal().ifPresent(refusal -> {
                        throw StepFailedException.refused(refusal.why());
                    });
                    boolean changes = decision.mutates() || decision.recordsEffects();
                    boolean nothingToDo = nothingToDo(planned, alreadyCompleted, handler);
                    if (changes) {
                        flush(runStream, List.of());
                    }
                    FaultInjection.maybeCrash(step.id(), "before-effect");
                    StepResult result = handler.act(decision);
                    StepCompleted completed = new StepCompleted(runId, domain, project, step.id(), result.outcome(),
                            millisSince(startedAt.get(step.id())));
                    if (changes || !result.effects().isEmpty()) {
                        record(result);
                        FaultInjection.maybeCrash(step.id(), "after-effect");
                        flush(runStream, List.of(completed));
                    } else if (nothingToDo) {
                        FaultInjection.maybeCrash(step.id(), "after-effect");
                        synchronized (pending) {
                            pending.add(completed);
                        }
                    } else {
                        FaultInjection.maybeCrash(step.id(), "after-effect");
                        flush(runStream, List.of(completed));
                    }
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
            flush(runStream, List.of(new RunCompleted(runId, domain, project, millis)));
            return new RunOutcome(runId, RunOutcome.Failure.NONE, null, List.of(), List.copyOf(warnings),
                    Map.copyOf(outcomes), millis);
        }
        Reason reason = reason(failure.failure());
        String error = reason.recorded();
        RunOutcome.Failure kind = switch (failure.failure()) {
            case StepFailedException sfe when sfe.refused() -> RunOutcome.Failure.REFUSED;
            case EngineUnavailableException ignored -> RunOutcome.Failure.ENGINE_UNAVAILABLE;
            default -> RunOutcome.Failure.FAILED;
        };
        if (failure.failure() instanceof RunStreamConflictException notOurs) {
            // Another process writes this run's record: RunFailed would interleave with it.
            throw notOurs;
        }
        if (failure.failure() instanceof StoreException storeGone) {
            // The store itself failed (after its retries): recording RunFailed would fail the same way.
            // The run stays recorded as running; once its process is gone it is interrupted and resumable.
            throw storeGone;
        }
        try {
            flush(runStream, List.of(new RunFailed(runId, domain, project, failure.step().id(), error)));
        } catch (RuntimeException storeFailure) {
            failure.failure().addSuppressed(storeFailure);
            throw new IllegalStateException("step " + failure.step().id() + " failed (" + error + ") and the failure "
                    + "could not be recorded: " + storeFailure.getMessage(), failure.failure());
        }
        return new RunOutcome(runId, kind, failure.step().id(), List.of(reason),
                List.copyOf(warnings), Map.copyOf(outcomes),
                millis);
    }

    /**
     * Whether the whole run has nothing to do: decided once, when the first step runs (so a machine
     * that cannot be observed fails that step), over every step not already completed.
     */
    private boolean nothingToDo(List<PlannedStep> planned, Set<String> alreadyCompleted, StepHandler<?> handler) {
        synchronized (pending) {
            if (nothingToDo == null) {
                nothingToDo = planned.stream().filter(s -> !alreadyCompleted.contains(s.id()))
                        .map(handler::decide)
                        .allMatch(StepDecision::changesNothing);
            }
            return nothingToDo;
        }
    }

    /** Appends the pending StepCompleted events and {@code then} to the run stream, in one append. */
    private void flush(String runStream, List<LoEvent> then) {
        synchronized (pending) {
            if (pending.isEmpty() && then.isEmpty()) {
                return;
            }
            List<LoEvent> batch = new ArrayList<>(pending);
            batch.addAll(then);
            sink.append(runStream, batch);
            pending.clear();
        }
    }

    /** The step's events, one append per stream they belong to. */
    private void record(StepResult result) {
        Map<String, List<LoEvent>> byStream = new LinkedHashMap<>();
        for (Effect effect : result.effects()) {
            byStream.computeIfAbsent(effect.streamId(), k -> new ArrayList<>()).add(effect.event());
        }
        byStream.forEach(sink::append);
    }

    /**
     * Why a step failed, as the run records and prints it: a failed step's reason (with its fix, when it
     * has one), else {@link #message}. Recorded and printed alike, so both read as they always did.
     */
    static Reason reason(RuntimeException e) {
        return e instanceof StepFailedException failed ? failed.reason() : Reason.of(message(e));
    }

    static String message(RuntimeException e) {
        if (e instanceof StepFailedException || e instanceof EngineUnavailableException
                || e instanceof EngineException || e instanceof KindException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
