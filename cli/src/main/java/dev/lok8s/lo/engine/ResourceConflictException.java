package dev.lok8s.lo.engine;

/** A name or address is already taken by something else (a 409 from the engine). */
public class ResourceConflictException extends EngineException {
    public ResourceConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
