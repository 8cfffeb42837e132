package dev.lok8s.lo.store;

import dev.lok8s.lo.retry.Backoff;
import dev.lok8s.lo.retry.Retry;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Retries a unit of store work on transient SQL failures ({@link TransientFailures}) with
 * exponential back-off, bounded in attempts and total time (the one retry loop, {@link Retry}). Any other failure (a full disk, a
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
        int[] attempts = {0};
        try {
            return Retry.SYSTEM.call(backoff(), SQLException.class, () -> {
                attempts[0]++;
                return work.run();
            }, e -> {
                boolean transientFailure = TransientFailures.isTransient(e);
                if (transientFailure) {
                    RetryCounter.record(e);
                }
                return transientFailure;
            });
        } catch (SQLException e) {
            StoreRecovery.afterFailure(e);
            throw new StoreException(StoreFailures.describe(what, e)
                    + (attempts[0] > 1 ? " (after " + attempts[0] + " attempts)" : ""), e);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying", ie);
        }
    }

    /** These bounds as the retry loop takes them: doubling pauses with jitter. */
    Backoff backoff() {
        return Backoff.exponential(maxAttempts, firstDelay, maxDelay, deadline);
    }
}
