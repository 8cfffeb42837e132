package dev.lok8s.lo.store;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Which SQL failures are worth retrying. With H2's AUTO_SERVER mode the process that opened the
 * file serves the others; when it exits, their connections break mid-transaction (H2 rolls them
 * back and reconnects). Lock waits and serialization failures are retried too.
 */
final class TransientFailures {

    private static final Set<Integer> H2_CODES = Set.of(
            90067,  // CONNECTION_BROKEN_1
            90098,  // DATABASE_IS_CLOSED
            90020,  // DATABASE_ALREADY_OPEN_1 (race while the serving process hands over)
            90121,  // DATABASE_CALLED_AT_SHUTDOWN
            90028,  // IO_EXCEPTION_1
            90031,  // IO_EXCEPTION_2
            50200,  // LOCK_TIMEOUT_1
            40001,  // DEADLOCK_1
            90131,  // CONCURRENT_UPDATE_1
            8000);  // ERROR_OPENING_DATABASE / TRACE_CONNECTION_NOT_CLOSED class of errors

    private TransientFailures() {
    }

    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                String state = s.getSQLState();
                if (s instanceof SQLTransientException || s instanceof SQLRecoverableException
                        || H2_CODES.contains(s.getErrorCode())
                        || (state != null && (state.startsWith("08") || state.equals("40001")
                        || state.equals("40P01") || state.equals("57P01") || state.equals("55P03")))) {
                    return true;
                }
            }
        }
        return false;
    }
}
