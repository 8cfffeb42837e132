package dev.lok8s.lo.events;

import java.time.Instant;
import java.util.UUID;

/**
 * {@code lo registry prune} removed an image's manifests from a mirror's cache (its blobs go in the
 * garbage collection that follows unless a kept image uses them).
 *
 * @param image      {@code repository:tag} (tags joined with commas), or {@code repository@digest} when untagged
 * @param digest     the manifest's digest (an index's, for a multi-platform image)
 * @param bytes      the blobs only this image used, as its manifests declare them: what the collection frees for it
 * @param lastPulled when the mirror last served it as far as lo read its log; null when never seen
 */
public record ImagePruned(UUID runId, String domain, String project, String mirror, String image,
                          String digest, long bytes, Instant lastPulled) implements LoEvent {
}
