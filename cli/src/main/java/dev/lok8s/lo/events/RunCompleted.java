package dev.lok8s.lo.events;

import java.util.UUID;

/** A run finished with every step done. */
public record RunCompleted(UUID runId, String domain, String project, long durationMs) implements LoEvent {
}
