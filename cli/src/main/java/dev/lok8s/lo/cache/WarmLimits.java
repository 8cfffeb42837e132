package dev.lok8s.lo.cache;

import java.time.Duration;

/**
 * How much of the machine and of the clock {@code lo registry warm} may take (docs/configuration.md,
 * {@code lo.warm.*}): how many images and blobs at once, and how long each answer may take.
 *
 * @param parallelImages  images warmed side by side
 * @param parallelBlobs   blobs read side by side, over all images
 * @param responseTimeout how long a request may wait for the response's headers
 * @param bodyTimeout     how long a manifest's body may take, and a blob's on top of its size at {@code minRate}
 * @param minRate         the slowest transfer a blob's deadline allows for, in bytes per second
 * @param timeout         how long the whole warm may take; images not done by then fail
 */
public record WarmLimits(int parallelImages, int parallelBlobs, Duration responseTimeout, Duration bodyTimeout,
                         long minRate, Duration timeout) {

    public static final WarmLimits DEFAULTS = new WarmLimits(3, 6, Duration.ofSeconds(60), Duration.ofSeconds(60),
            512 * 1024, Duration.ofHours(2));

    public WarmLimits {
        if (parallelImages < 1 || parallelImages > 64 || parallelBlobs < 1 || parallelBlobs > 64) {
            throw new IllegalArgumentException("lo.warm.parallel-images and lo.warm.parallel-blobs must be 1 to 64, "
                    + "got " + parallelImages + " and " + parallelBlobs);
        }
        if (minRate < 1) {
            throw new IllegalArgumentException("lo.warm.min-rate must be at least 1 byte per second, got " + minRate);
        }
        for (Duration d : new Duration[]{responseTimeout, bodyTimeout, timeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("lo.warm timeouts must be positive, got " + d);
            }
        }
    }

    /** A manifest's deadline: {@link #bodyTimeout()}. */
    BoundedBody.Deadline manifestDeadline() {
        return BoundedBody.Deadline.in(bodyTimeout, seconds(bodyTimeout) + " (lo.warm.body-timeout)");
    }

    /** A blob's deadline: {@link #bodyTimeout()} plus its size at {@link #minRate()}. */
    BoundedBody.Deadline blobDeadline(long size) {
        Duration budget = bodyTimeout.plusSeconds(size / minRate);
        return BoundedBody.Deadline.in(budget, seconds(budget) + " (lo.warm.body-timeout + size at lo.warm.min-rate)");
    }

    /** The whole warm's deadline, from now. */
    public BoundedBody.Deadline overall() {
        return BoundedBody.Deadline.in(timeout, "the warm's " + seconds(timeout) + " (lo.warm.timeout)");
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
