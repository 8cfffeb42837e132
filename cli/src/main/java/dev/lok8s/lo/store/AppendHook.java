package dev.lok8s.lo.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the store runs inside its own transactions so that what is kept beside the log never
 * disagrees with it: every appended event, in the transaction that appends it, and a replay of the
 * whole log when the store finds the hook behind. lo's read models implement it
 * ({@code projection.Projector}); the store knows nothing of what the hook keeps.
 */
public interface AppendHook {

    /** One stored event, in the transaction that appends (or replays) it; the append lock is held. */
    void apply(Connection c, StoredEvent event) throws SQLException;

    /** Records that everything up to {@code position} is applied. */
    void advance(Connection c, long position) throws SQLException;

    /** The last position applied (0: nothing yet). */
    long position(Connection c) throws SQLException;

    /** Forgets everything applied, before a replay of the whole log. */
    void reset(Connection c) throws SQLException;
}
