package dev.lok8s.lo.tls;

/**
 * TLS mode was asked for but this machine cannot support it; the message is one line that names
 * what is missing and the fix. The CLI maps it to an "invalid precondition" exit code.
 */
public class TlsPrerequisiteException extends RuntimeException {
    public TlsPrerequisiteException(String message) {
        super(message);
    }

    public TlsPrerequisiteException(String message, Throwable cause) {
        super(message, cause);
    }
}
