package dev.lok8s.lo.run;

/**
 * A step could not reach its desired state. {@code refused} marks a precondition that was not
 * met before anything changed (a subnet mismatch, a foreign container on a planned name or
 * address): the user must fix their input or machine; it is not a failure of lo.
 */
public class StepFailedException extends RuntimeException {

    private final boolean refused;

    public StepFailedException(String message, boolean refused) {
        super(message);
        this.refused = refused;
    }

    public StepFailedException(String message, Throwable cause) {
        super(message, cause);
        this.refused = false;
    }

    public static StepFailedException refused(String message) {
        return new StepFailedException(message, true);
    }

    public boolean refused() {
        return refused;
    }
}
