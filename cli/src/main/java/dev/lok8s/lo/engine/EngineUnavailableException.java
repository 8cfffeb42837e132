package dev.lok8s.lo.engine;

import dev.lok8s.lo.failure.Failing;
import dev.lok8s.lo.failure.FailureKind;

/** The Docker Engine does not answer at its endpoint. */
public class EngineUnavailableException extends EngineException implements Failing {

    @Override
    public FailureKind kind() {
        return FailureKind.ENGINE_UNAVAILABLE;
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
