package dev.lok8s.lo.retry;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one wait/retry loop: attempts bounded by a {@link Backoff} (count, deadline, growing pauses),
 * interruptible (a pause ends with {@link InterruptedException}, which the caller turns into its own
 * failure). The clock and the pause are given, so a test runs the loop with a fake clock and no sleeping.
 */
public final class Retry {

    /** Monotonic time, as {@link System#nanoTime()}. */
    @FunctionalInterface
    public interface Ticker {
        long nanoTime();
    }

    /** Pauses the calling thread. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    /** One attempt, which may fail with {@code E}. */
    @FunctionalInterface
    public interface Attempt<T, E extends Exception> {
        T run() throws E;
    }

    /** The real clock and {@link Thread#sleep(Duration)}. */
    public static final Retry SYSTEM = new Retry(System::nanoTime, Thread::sleep, Math::random);

    private final Ticker ticker;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    public Retry(Ticker ticker, Sleeper sleeper, DoubleSupplier random) {
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.random = random;
    }

    /**
     * Runs {@code attempt} until it returns. A failure of type {@code type} that {@code again} accepts is
     * tried again while the backoff allows another attempt; any other failure, or the last one, is thrown.
     */
    public <T, E extends Exception> T call(Backoff backoff, Class<E> type, Attempt<T, ? extends E> attempt,
                                           Predicate<? super E> again) throws E, InterruptedException {
        long start = ticker.nanoTime();
        for (int n = 1; ; n++) {
            E failure;
            try {
                return attempt.run();
            } catch (RuntimeException e) {
                if (!type.isInstance(e)) {
                    throw e;
                }
                failure = type.cast(e);
            } catch (Exception e) {
                failure = type.cast(e);  // the attempt's only checked failure is E
            }
            if (!again.test(failure)) {
                throw failure;
            }
            Duration pause = pause(backoff, n, start);
            if (pause == null) {
                throw failure;
            }
            sleeper.sleep(pause);
        }
    }

    /**
     * Looks until {@code done} accepts what {@code look} returns or the backoff allows no further look;
     * returns the last look either way (the caller tells the two apart with {@code done} again).
     */
    public <T> T poll(Backoff backoff, Supplier<T> look, Predicate<? super T> done) throws InterruptedException {
        long start = ticker.nanoTime();
        for (int n = 1; ; n++) {
            T seen = look.get();
            if (done.test(seen)) {
                return seen;
            }
            Duration pause = pause(backoff, n, start);
            if (pause == null) {
                return seen;
            }
            sleeper.sleep(pause);
        }
    }

    /** The pause before attempt {@code n + 1}, or null when there is to be none (attempts or deadline spent). */
    private Duration pause(Backoff backoff, int n, long start) {
        if (n >= backoff.maxAttempts()) {
            return null;
        }
        Duration pause = backoff.pauseAfter(n);
        if (backoff.jitter()) {
            pause = pause.plusNanos((long) (random.getAsDouble() * pause.toNanos()));
        }
        long elapsed = ticker.nanoTime() - start;
        return elapsed + pause.toNanos() < backoff.deadline().toNanos() ? pause : null;
    }
}
