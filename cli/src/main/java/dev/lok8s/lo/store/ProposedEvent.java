package dev.lok8s.lo.store;

import dev.lok8s.lo.events.LoEvent;

import java.util.List;
import java.util.UUID;

/** An event about to be appended, with the id that makes a retried append idempotent. */
public record ProposedEvent(UUID eventId, LoEvent event) {

    public static List<ProposedEvent> withNewIds(List<? extends LoEvent> events) {
        return events.stream().map(e -> new ProposedEvent(UUID.randomUUID(), e)).toList();
    }
}
