package dev.lok8s.lo.store;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;

import java.time.Instant;
import java.util.UUID;

/** An event as the store holds it: its place in the log and its stream, and the raw payload. */
public record StoredEvent(long position, UUID eventId, String streamId, int streamVersion, String eventType,
                          int schemaVersion, LoEvent event, String payload, EventMetadata metadata,
                          Instant recordedAt) {
}
