package dev.lok8s.lo.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * When the H2 file is compacted: not at every close (H2's default spends up to 200 ms of every command
 * that opened the store moving chunks, {@code MAX_COMPACT_TIME}, which {@link StoreLocation#H2_OPTIONS}
 * sets to 0), but at the close of a process that finds at least {@value #MIN_GARBAGE_BYTES} bytes of the
 * file dead and no less dead than live, with the same 200 ms budget. Each of lo's commits writes a new
 * chunk (about 80 KiB per re-run), so without any compaction the file only grows; with this the file
 * stays within about twice its live data plus a MiB, and most commands close in a few milliseconds
 * (docs/benchmarks.md, "H2's compaction at close").
 */
public final class StoreCompaction {

    static final long MIN_GARBAGE_BYTES = 1 << 20;
    static final int MAX_COMPACT_MILLIS = 200;

    private StoreCompaction() {
    }

    /**
     * Compacts the file behind {@code connection} when it is sparse, if this process opened it (a
     * process connected to another one's AUTO_SERVER leaves that to the other). Returns whether it did.
     */
    public static boolean compactIfSparse(Connection connection) throws SQLException {
        return compactIfSparse(connection, MAX_COMPACT_MILLIS);
    }

    static boolean compactIfSparse(Connection connection, int maxMillis) throws SQLException {
        if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal local)) {
            return false;
        }
        var store = local.getDatabase().getStore();
        MVStore mv = store == null ? null : store.getMvStore();
        if (mv == null || mv.isClosed() || mv.isReadOnly() || !sparse(mv.getFileStore().size(), livePercent(mv))) {
            return false;
        }
        store.compactFile(maxMillis);
        return true;
    }

    /** At least {@link #MIN_GARBAGE_BYTES} dead, and no less dead than live. */
    static boolean sparse(long fileBytes, int livePercent) {
        long live = fileBytes * livePercent / 100;
        long dead = fileBytes - live;
        return dead >= MIN_GARBAGE_BYTES && dead >= live;
    }

    /** The share of the file that live pages fill: chunks' share of the file times live data's share of the chunks. */
    static int livePercent(MVStore mv) {
        return mv.getFillRate() * mv.getFileStore().getChunksFillRate() / 100;
    }
}
