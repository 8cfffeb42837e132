package dev.lok8s.lo.store;

import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Which SQL failures are worth retrying: only those that go away by themselves. With H2's
 * AUTO_SERVER mode the process that opened the file serves the others; when it exits, their
 * connections break mid-transaction (H2 rolls them back) and they race to open the file. Lock
 * waits and serialization failures are retried too. Input/output errors are not: a full disk, a
 * damaged file or a denied permission does not heal in seconds, and retrying hides it.
 */
public final class TransientFailures {

    private static final Set<Integer> H2_CODES = Set.of(
            90067,  // CONNECTION_BROKEN_1 (the serving process exited)
            90020,  // DATABASE_ALREADY_OPEN_1 (race while the serving process hands over)
            90121,  // DATABASE_CALLED_AT_SHUTDOWN (this process's copy is closing at hand-over)
            50200,  // LOCK_TIMEOUT_1
            40001,  // DEADLOCK_1
            90131); // CONCURRENT_UPDATE_1

    private TransientFailures() {
    }

    public static boolean isTransient(SQLException e) {
        if (StoreFailures.isDamaged(e) || hasIoCause(e)) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return true;  // the pool waited too long for a connection (another process was opening the file)
            }
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (s.getErrorCode() == 50000 && String.valueOf(s.getMessage()).contains("MVStoreException")
                        && String.valueOf(s.getMessage()).contains(" is closed")) {
                    // "Transaction N is closed": the serving process closed the database under a
                    // remote transaction while handing over (seen with eight processes on a new store)
                    return true;
                }
                if (s.getErrorCode() == 8000) {
                    // H2 gives this one SQL state 08000, like a connection failure: only its lock races are transient
                    if (isLockRace(s)) {
                        return true;
                    }
                    continue;
                }
                if (s instanceof SQLTransientException
                        || H2_CODES.contains(s.getErrorCode())
                        || (state != null && (state.startsWith("08") || state.equals("40001")
                        || state.equals("40P01") || state.equals("57P01") || state.equals("55P03")))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A unique-key violation: another process inserted the same key first. */
    public static boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** H2's 8000 ("Error opening database") for the file-lock protocol of two processes opening at once. */
    private static boolean isLockRace(SQLException s) {
        String m = String.valueOf(s.getMessage());
        return m.contains("Lock file recently modified") || m.contains("Another process was faster")
                || m.contains("already in use") || m.contains("Concurrent update");
    }

    /** A disk, permission or file-system error underneath, whatever H2 wrapped it in. */
    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("no space left on device") || m.contains("read-only file system")
                    || m.contains("permission denied") || m.contains("operation not permitted")
                    || m.contains("disk quota exceeded") || t instanceof AccessDeniedException) {
                return true;
            }
        }
        return false;
    }
}
