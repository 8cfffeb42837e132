package dev.lok8s.lo.store;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;

/**
 * When a write fails (a full disk), H2 closes its database, and every pooled connection, old or
 * new, keeps answering with that failure until all of them are closed: only then does the next
 * connection open the file again. So after such a failure the pool is flushed; once the cause is
 * gone (space freed), the next use of the store reopens it. One store per process.
 */
public final class StoreRecovery {

    private static final Set<Integer> DATABASE_GONE = Set.of(
            90098,  // DATABASE_IS_CLOSED
            90121,  // DATABASE_CALLED_AT_SHUTDOWN
            50000,  // GENERAL_ERROR_1: how a failed write of the store reaches a client
            90028,  // IO_EXCEPTION_1
            90031); // IO_EXCEPTION_2

    private static volatile Runnable flushPool = () -> { };

    private StoreRecovery() {
    }

    /** What closes every pooled connection (StoreBeans registers the pool's flush). */
    public static void register(Runnable flush) {
        flushPool = flush;
    }

    /** Flushes the pool when {@code failure} says the database was closed under it. */
    public static void afterFailure(Throwable failure) {
        if (closedTheDatabase(failure)) {
            try {
                flushPool.run();
            } catch (RuntimeException ignored) {
                // the next use tries again
            }
        }
    }

    static boolean closedTheDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && (DATABASE_GONE.contains(s.getErrorCode()) || StoreFailures.isDamaged(s))) {
                return true;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no space left on device") || m.contains("mvstoreexception")) {
                return true;
            }
        }
        return false;
    }
}
