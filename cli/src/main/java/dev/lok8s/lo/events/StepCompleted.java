package dev.lok8s.lo.events;

import java.util.UUID;

/** One idempotent step of a run finished and says what it did. */
public record StepCompleted(UUID runId, String domain, String project, String stepId, StepOutcome outcome, long durationMs) implements LoEvent {
}
