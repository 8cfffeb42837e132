package dev.lok8s.lo.engine;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Calls made side by side (the engine's, the store's, the upstreams'): started on a thread of their own,
 * their answers, with a failure rethrown as it was thrown.
 */
public final class EngineCalls {

    private EngineCalls() {
    }

    /**
     * The call's answer; its runtime exception as is (an {@link EngineUnavailableException} stays one).
     *
     * @param doing what the caller was doing, for the message when it is interrupted
     */
    public static <T> T join(Future<T> call, String doing) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        }
    }

    /**
     * {@code work} started now on a platform thread of its own: opening the store and building an HTTP client
     * are mostly CPU, which would hold one of the few carriers of the virtual threads the observation and the
     * probes run on.
     */
    public static <T> FutureTask<T> beside(String name, Callable<T> work) {
        FutureTask<T> task = new FutureTask<>(work);
        Thread.ofPlatform().name(name).daemon(true).start(task);
        return task;
    }

    /** Waits until {@code task} has ended, whatever its outcome (a failure met after the one being thrown). */
    public static void settle(Future<?> task) {
        try {
            task.get();
        } catch (ExecutionException | CancellationException ignored) {
            // the first failure is the one to report
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
