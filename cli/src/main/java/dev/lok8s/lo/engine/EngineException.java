package dev.lok8s.lo.engine;

/** A failed engine operation; the message names the resource and, where there is one, the fix. */
public class EngineException extends RuntimeException {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
