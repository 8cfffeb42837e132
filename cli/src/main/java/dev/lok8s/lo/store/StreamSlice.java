package dev.lok8s.lo.store;

import java.util.List;

/**
 * A stream as one read saw it: its version then (every machine's events counted) and this machine's
 * events after the version the read started from. The version is what an append that decided on these
 * events expects ({@link EventStore#append}).
 *
 * @param version the stream's last version at the read (0: no events), never below the version read from
 * @param events  this machine's events (and those recorded before lo knew machines) after the version
 *                read from, in version order
 */
public record StreamSlice(String streamId, int version, List<StoredEvent> events) {

    public StreamSlice {
        events = List.copyOf(events);
    }
}
