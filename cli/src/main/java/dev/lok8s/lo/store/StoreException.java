package dev.lok8s.lo.store;

import dev.lok8s.lo.failure.Failing;
import dev.lok8s.lo.failure.FailureKind;

/** The event store could not be read or written (after retries, for transient failures). */
public class StoreException extends RuntimeException implements Failing {

    @Override
    public FailureKind kind() {
        return FailureKind.STORE_UNAVAILABLE;
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
