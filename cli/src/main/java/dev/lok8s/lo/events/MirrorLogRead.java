package dev.lok8s.lo.events;

import java.time.Instant;
import java.util.List;

/**
 * {@code lo} read a pull-through mirror's log up to {@code until} and recorded what it served: the
 * newest pull of each image and, per hour and client, the blob requests served from the mirror's cache
 * (hits) and those it fetched from its upstream (misses). Each read starts where the previous one of the
 * same container ended, so the figures outlive the container's log (restarts, rotation, recreation).
 *
 * @param mirror      the mirror's container
 * @param containerId the engine's id of that container: a new id means a new log, read from its start
 * @param until       the engine's timestamp of the last line read
 * @param images      manifests served, per repository and reference (tag or digest)
 * @param traffic     blob requests per hour and client
 * @param skipped     lines that were not understood or longer than lo reads
 * @param cut         whether the read stopped early (size, line count or deadline); the next read goes on
 */
public record MirrorLogRead(String domain, String project, String mirror, String containerId, Instant until,
                            List<Pulled> images, List<Traffic> traffic, int skipped, boolean cut) implements LoEvent {

    public MirrorLogRead {
        images = images == null ? List.of() : List.copyOf(images);
        traffic = traffic == null ? List.of() : List.copyOf(traffic);
    }

    /** Manifest requests answered 2xx for one repository and reference. */
    public record Pulled(String repository, String reference, Instant lastPulled, int pulls) {
    }

    /**
     * Blob requests answered 2xx in one hour from one client.
     *
     * @param client the client's address as the mirror saw it
     */
    public record Traffic(Instant hour, String client, int hits, int misses, long hitBytes, long missBytes) {
    }
}
