package dev.lok8s.lo.tls;

import dev.lok8s.lo.failure.Failing;
import dev.lok8s.lo.failure.FailureKind;

/**
 * TLS mode was asked for but this machine cannot support it; the message is one line that names
 * what is missing and the fix. The CLI maps it to an "invalid precondition" exit code.
 */
public class TlsPrerequisiteException extends RuntimeException implements Failing {

    @Override
    public FailureKind kind() {
        return FailureKind.BAD_INPUT;
    }

    public TlsPrerequisiteException(String message) {
        super(message);
    }

    public TlsPrerequisiteException(String message, Throwable cause) {
        super(message, cause);
    }
}
