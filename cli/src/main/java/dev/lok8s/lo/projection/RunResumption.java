package dev.lok8s.lo.projection;

import java.time.Instant;

/**
 * One resumption of a run: when, by which process, and what had become of the process before it.
 *
 * @param after            {@code failed} (the previous process recorded a failure) or {@code interrupted}
 *                         (it was gone without recording an end); null when the log does not say
 * @param previousPid      the process that ran the run before, with {@code previousHost}
 * @param leaseTakenOver   the resuming process took the project's lease over from that dead process
 * @param leaseHeldSince   since when the dead process had held the lease
 */
public record RunResumption(Instant at, long pid, String host, int completedSteps, RunStatus after, Long previousPid,
                            String previousHost, String previousError, String previousFailedStep,
                            boolean leaseTakenOver, Instant leaseHeldSince) {
}
