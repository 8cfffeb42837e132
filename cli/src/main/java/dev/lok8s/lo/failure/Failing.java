package dev.lok8s.lo.failure;

/**
 * An exception that knows what kind of failure it is ({@link FailureKind}: the exit code and the
 * HTTP status) and why, so the edges render it without looking at its text.
 */
public interface Failing {

    FailureKind kind();

    /** The message and fix; by default the exception's message, with no fix. */
    default Reason reason() {
        String message = ((Throwable) this).getMessage();
        return Reason.parse(message == null ? getClass().getSimpleName() : message);
    }
}
