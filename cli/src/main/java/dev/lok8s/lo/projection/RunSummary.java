package dev.lok8s.lo.projection;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code lo runs}. {@code pid}/{@code host} are the run's latest process; {@code resumes} counts
 * its resumptions, {@code interruptions} those that followed a process gone without an end (the rest
 * followed a recorded failure).
 *
 * @param host      the host name the run's process ran on
 * @param machineId the machine it ran on (dev.lok8s.lo.machine.Machine)
 */
public record RunSummary(UUID runId, String domain, String project, String command, RunStatus status,
                         Instant startedAt, Instant endedAt, String error, String failedStep, Long pid, String host,
                         String machineId, int resumes, int interruptions) {
}
