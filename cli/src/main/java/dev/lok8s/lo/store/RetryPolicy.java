package dev.lok8s.lo.store;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Retries a unit of store work on transient SQL failures ({@link TransientFailures}) with
 * exponential back-off, bounded in attempts and total time. Any other failure (a full disk, a
 * damaged file, permission denied) ends the work at once with one line ({@link StoreFailures}).
 */
public record RetryPolicy(int maxAttempts, Duration firstDelay, Duration maxDelay, Duration deadline) {

    /**
     * Generous on purpose: when the process serving an H2 file exits, the others race to open it
     * ("Another process was faster", "database may be already in use"); on a loaded 2-core machine
     * one such attempt can take seconds (H2's file-lock protocol waits), and 30 s was seen to run out.
     */
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(60, Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(120));

    /** For opening the store while setting it up: a hand-over race, not a queue of writers. */
    public static final RetryPolicy SHORT =
            new RetryPolicy(40, Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofSeconds(20));

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    public <T> T run(String what, Work<T> work) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        long delay = firstDelay.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return work.run();
            } catch (SQLException e) {
                boolean again = TransientFailures.isTransient(e) && attempt < maxAttempts
                        && System.nanoTime() + delay * 1_000_000 < deadlineNanos;
                if (!again) {
                    StoreRecovery.afterFailure(e);
                    throw new StoreException(StoreFailures.describe(what, e)
                            + (attempt > 1 ? " (after " + attempt + " attempts)" : ""), e);
                }
                RetryCounter.record(e);
                sleep(delay + (long) (Math.random() * delay));
                delay = Math.min(delay * 2, maxDelay.toMillis());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying", ie);
        }
    }
}
