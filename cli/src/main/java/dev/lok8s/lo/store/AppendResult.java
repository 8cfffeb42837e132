package dev.lok8s.lo.store;

import java.util.List;

/**
 * What an append wrote (or, for a retried append whose events were already stored, what it had written).
 *
 * @param streamVersion the stream's version after the append (its last event's version)
 * @param alreadyStored true when the events' ids were found in the store: an earlier attempt committed
 */
public record AppendResult(String streamId, long firstPosition, long lastPosition, int streamVersion,
                           boolean alreadyStored, List<StoredEvent> events) {
}
