package dev.lok8s.lo.projection;

import java.time.Instant;

/** A step of a run as {@code lo runs show} prints it. */
public record RunStepView(String stepId, String outcome, long durationMs, Instant recordedAt) {
}
