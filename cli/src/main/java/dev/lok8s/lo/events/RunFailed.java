package dev.lok8s.lo.events;

import java.util.UUID;

/** A run stopped at a step that failed; steps before it stay done. */
public record RunFailed(UUID runId, String domain, String project, String step, String error) implements LoEvent {
}
