package dev.lok8s.lo.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how long something is tried again: at most {@code maxAttempts} attempts, none started
 * after a pause would end past {@code deadline} (counted from the first attempt), pauses growing from
 * {@code firstPause} by doubling up to {@code maxPause} (equal: a fixed pause). With {@code jitter} each
 * pause is stretched by a random part of itself, so processes that failed together do not retry together.
 */
public record Backoff(int maxAttempts, Duration firstPause, Duration maxPause, Duration deadline, boolean jitter) {

    /** No deadline worth the name: bounded by attempts alone. */
    private static final Duration UNBOUNDED = Duration.ofDays(365);

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        Objects.requireNonNull(firstPause, "firstPause");
        Objects.requireNonNull(maxPause, "maxPause");
        Objects.requireNonNull(deadline, "deadline");
        if (firstPause.isNegative() || maxPause.compareTo(firstPause) < 0 || deadline.isNegative()) {
            throw new IllegalArgumentException("pauses and deadline must be 0 <= firstPause <= maxPause, 0 <= deadline");
        }
    }

    /** The same pause between attempts until the deadline. */
    public static Backoff fixed(Duration pause, Duration deadline) {
        return new Backoff(Integer.MAX_VALUE, pause, pause, deadline, false);
    }

    /** The same pause between at most {@code attempts} attempts. */
    public static Backoff fixed(Duration pause, int attempts) {
        return new Backoff(attempts, pause, pause, UNBOUNDED, false);
    }

    /** Doubling pauses with jitter, bounded by attempts and deadline. */
    public static Backoff exponential(int attempts, Duration firstPause, Duration maxPause, Duration deadline) {
        return new Backoff(attempts, firstPause, maxPause, deadline, true);
    }

    /** The pause after attempt number {@code attempt} (1-based), before jitter. */
    Duration pauseAfter(int attempt) {
        Duration pause = firstPause;
        for (int i = 1; i < attempt && pause.compareTo(maxPause) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(maxPause) > 0 ? maxPause : pause;
    }
}
