package dev.lok8s.lo.kind;

/** kind is missing or failed; the message says which command and why. */
public class KindException extends RuntimeException {
    public KindException(String message) {
        super(message);
    }
}
