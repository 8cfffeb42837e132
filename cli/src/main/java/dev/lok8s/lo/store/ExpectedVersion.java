package dev.lok8s.lo.store;

/**
 * Values for the {@code expectedVersion} of {@link EventStore#append}. Any value {@code >= 0} means
 * "the stream's last version must be exactly this" (0: the stream has no events yet).
 */
public final class ExpectedVersion {
    /** The stream must not exist yet. */
    public static final long NO_STREAM = -1;
    /** No check: append after whatever the stream holds. */
    public static final long ANY = -2;

    private ExpectedVersion() {
    }
}
