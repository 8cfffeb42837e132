package dev.lok8s.lo.events;

import java.util.UUID;

/**
 * A failed or interrupted run is running again, in the process {@code pid@host}, with the same plan;
 * its {@code completedSteps} steps are skipped. Appended to the run's own stream, after its
 * RunFailed (or after its last event, when its process died without one).
 */
public record RunResumed(UUID runId, String command, String domain, String project, String planHash, long pid,
                         String host, int completedSteps) implements LoEvent {
}
