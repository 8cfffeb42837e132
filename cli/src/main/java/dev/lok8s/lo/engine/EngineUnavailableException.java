package dev.lok8s.lo.engine;

/** The Docker Engine does not answer at its endpoint. */
public class EngineUnavailableException extends EngineException {
    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
