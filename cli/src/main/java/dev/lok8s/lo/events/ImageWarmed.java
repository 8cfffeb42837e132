package dev.lok8s.lo.events;

import java.util.UUID;

/**
 * An image was pulled through a pull-through mirror from the host ({@code lo registry warm}), so
 * the mirror now holds its manifests and blobs; {@code cached} when it held them already.
 *
 * @param image     the reference as given, in canonical form ({@code docker.io/library/nginx:1.27})
 * @param mirror    the mirror's container
 * @param digest    the digest the reference resolved to (an index's, for a multi-platform image)
 * @param bytes     total size of the blobs warmed
 * @param blobs     number of blobs (configs and layers)
 * @param manifests number of manifests fetched (the index and each platform's manifest)
 * @param platform  the platform selected from an index ({@code linux/amd64}), or {@code all}
 */
public record ImageWarmed(UUID runId, String domain, String project, String image, String mirror, String digest,
                          long bytes, int blobs, int manifests, String platform, boolean cached) implements LoEvent {
}
