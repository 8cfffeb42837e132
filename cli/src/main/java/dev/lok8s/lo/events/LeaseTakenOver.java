package dev.lok8s.lo.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A run took a project's lease from a holder whose process is gone (killed, machine rebooted);
 * recorded on the taking run's stream.
 */
public record LeaseTakenOver(UUID runId, String domain, String project, UUID previousRunId, long previousPid,
                             String previousHost, Instant previousSince) implements LoEvent {
}
