package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.failure.Failing;
import dev.lok8s.lo.failure.FailureKind;
import dev.lok8s.lo.failure.Reason;

/**
 * A step could not reach its desired state. {@code refused} marks a precondition that was not
 * met before anything changed (a subnet mismatch, a foreign container on a planned name or
 * address): the user must fix their input or machine; it is not a failure of lo.
 */
public class StepFailedException extends RuntimeException implements Failing {

    private final transient Reason reason;
    private final boolean refused;

    public StepFailedException(Reason reason, boolean refused) {
        super(reason.recorded());
        this.reason = reason;
        this.refused = refused;
    }

    public StepFailedException(String message, boolean refused) {
        this(Reason.of(message), refused);
    }

    public StepFailedException(String message, Throwable cause) {
        super(message, cause);
        this.reason = Reason.of(message);
        this.refused = false;
    }

    public static StepFailedException refused(Reason reason) {
        return new StepFailedException(reason, true);
    }

    public boolean refused() {
        return refused;
    }

    @Override
    public Reason reason() {
        return reason;
    }

    @Override
    public FailureKind kind() {
        return refused ? FailureKind.BAD_INPUT : FailureKind.FAILED;
    }
}
