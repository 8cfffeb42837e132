package dev.lok8s.lo.projection;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code lo runs}.
 *
 * @param host      the host name the run's process ran on
 * @param machineId the machine it ran on (dev.lok8s.lo.machine.Machine)
 */
public record RunSummary(UUID runId, String domain, String project, String command, RunStatus status,
                         Instant startedAt, Instant endedAt, String error, String failedStep, Long pid, String host,
                         String machineId) {
}
