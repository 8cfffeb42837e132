package dev.lok8s.lo.store;

/** The event store could not be read or written (after retries, for transient failures). */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
