package dev.lok8s.lo.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lok8s.lo.events.EventCodec;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.EventSummary;
import dev.lok8s.lo.store.StoredEvent;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as {@code lo history -o json} and {@code GET /api/history} show it: where it is in the log,
 * what it is, the one-line {@code summary} the text output prints, who recorded it, and its payload.
 */
public record EventView(long position, UUID eventId, String type, int schemaVersion, String stream, int version,
                        Instant recordedAt, String domain, String summary, EventMetadata metadata,
                        JsonNode payload) {

    public static EventView of(StoredEvent e) {
        return new EventView(e.position(), e.eventId(), e.eventType(), e.schemaVersion(), e.streamId(),
                e.streamVersion(), e.recordedAt(), e.event().domain(), EventSummary.of(e.event()), e.metadata(),
                EventCodec.tree(e.payload()));
    }
}
