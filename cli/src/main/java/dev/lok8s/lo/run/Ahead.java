package dev.lok8s.lo.run;

import dev.lok8s.lo.engine.EngineCalls;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

/**
 * A value made once, on first use, that may be started ahead of it on a thread of its own so that
 * it is ready (or nearly) when asked for. A failure reaches the first use as it was thrown; like a value
 * made on first use, it is not kept: the next use makes the value again, on the asking thread. Not started,
 * it is made by the first use, as {@code ProvisionService}'s {@code Once} is.
 */
final class Ahead<T> implements Supplier<T> {

    private final Supplier<T> make;
    private final String doing;
    private FutureTask<T> started;
    private T value;

    /** @param doing what making the value is, for the message when the thread waiting for it is interrupted */
    Ahead(Supplier<T> make, String doing) {
        this.make = make;
        this.doing = doing;
    }

    /** Starts making the value now, unless it is being made or made already. */
    synchronized void start() {
        if (started == null && value == null) {
            started = EngineCalls.beside("lo-ahead", make::get);
        }
    }

    @Override
    public synchronized T get() {
        if (value != null) {
            return value;
        }
        FutureTask<T> task = started;
        started = null;
        value = task == null ? make.get() : join(task);
        return value;
    }

    /** Stops a value being made that nobody is going to ask for (its thread is interrupted); no wait. */
    synchronized void cancel() {
        if (started != null) {
            started.cancel(true);
            started = null;
        }
    }

    private T join(FutureTask<T> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (CancellationException e) {
            return make.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw new IllegalStateException("interrupted while " + doing, e);
        }
    }
}
