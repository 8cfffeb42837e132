package dev.lok8s.lo.run;

import dev.lok8s.lo.events.ShortId;
import dev.lok8s.lo.failure.Failing;
import dev.lok8s.lo.failure.FailureKind;
import dev.lok8s.lo.failure.Reason;

import java.util.UUID;

/**
 * Another process appended to this run's own stream: only the run's lease holder writes there, so its
 * lease was taken while it ran. Nothing more is recorded for the run (not even RunFailed, which would
 * interleave with the other writer's record).
 */
public final class RunStreamConflictException extends RuntimeException implements Failing {

    private final transient Reason reason;

    public RunStreamConflictException(UUID runId, long expected, long actual) {
        this(Reason.of("another process wrote to the record of run " + ShortId.of(runId) + " while this one ran"
                        + " (its stream is at version " + actual + ", this process wrote up to " + expected
                        + "): this process stopped recording it",
                "see lo runs show " + ShortId.of(runId) + ", then run the command again"));
    }

    private RunStreamConflictException(Reason reason) {
        super(reason.recorded());
        this.reason = reason;
    }

    @Override
    public FailureKind kind() {
        return FailureKind.BUSY;
    }

    @Override
    public Reason reason() {
        return reason;
    }
}
