package dev.lok8s.lo.events;

import java.util.UUID;

/**
 * A mirror's cache was pruned and garbage-collected ({@code lo registry prune}).
 *
 * @param images       images removed
 * @param bytesBefore  the volume's size before, as the engine measured it (-1 when it could not)
 * @param bytesAfter   the volume's size after the collection (-1 when it could not)
 * @param blobsDeleted blobs the garbage collection deleted
 */
public record CachePruned(UUID runId, String domain, String project, String mirror, int images,
                          long bytesBefore, long bytesAfter, int blobsDeleted) implements LoEvent {
}
