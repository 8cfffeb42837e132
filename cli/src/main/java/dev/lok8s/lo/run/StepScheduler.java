package dev.lok8s.lo.run;

import dev.lok8s.lo.plan.PlannedStep;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs steps as soon as the steps they depend on are done, up to {@code parallelism} at once,
 * in plan order among those ready. After the first failure nothing new starts; steps already
 * running finish and are reported, so their effects are still recorded.
 */
final class StepScheduler {

    /** The result of one step: a value, or the failure it raised. */
    record Done<T>(PlannedStep step, T value, RuntimeException failure) {
    }

    private final int parallelism;

    StepScheduler(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
    }

    /**
     * @param steps    in plan order
     * @param skip     ids already done (a resumed run): treated as complete, not run
     * @param onDone   called on the scheduling thread for each finished step, in completion order
     * @return the first failure, or null
     */
    <T> Done<T> run(List<PlannedStep> steps, Set<String> skip, Function<PlannedStep, T> body,
                    Consumer<Done<T>> onDone) {
        Set<String> complete = new HashSet<>(skip);
        List<PlannedStep> pending = new ArrayList<>(steps.stream().filter(s -> !skip.contains(s.id())).toList());
        Map<Future<Done<T>>, PlannedStep> running = new LinkedHashMap<>();
        Done<T> firstFailure = null;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletionService<Done<T>> completion = new ExecutorCompletionService<>(executor);
            while (true) {
                if (firstFailure == null) {
                    for (var it = pending.iterator(); it.hasNext() && running.size() < parallelism; ) {
                        PlannedStep step = it.next();
                        if (complete.containsAll(step.dependsOn())) {
                            it.remove();
                            running.put(completion.submit(() -> {
                                try {
                                    return new Done<>(step, body.apply(step), null);
                                } catch (RuntimeException e) {
                                    return new Done<>(step, null, e);
                                }
                            }), step);
                        }
                    }
                }
                if (running.isEmpty()) {
                    if (firstFailure == null && !pending.isEmpty()) {
                        throw new IllegalStateException("steps wait on steps that never run: "
                                + pending.stream().map(PlannedStep::id).toList());
                    }
                    return firstFailure;
                }
                Future<Done<T>> finished = completion.take();
                running.remove(finished);
                Done<T> done = finished.get();
                onDone.accept(done);
                if (done.failure() != null) {
                    if (firstFailure == null) {
                        firstFailure = done;
                    }
                } else {
                    complete.add(done.step().id());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running steps", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("step scheduler failed: " + e.getCause(), e.getCause());
        }
    }
}
