package dev.lok8s.lo.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This process's part in compacting the H2 file ({@link CompactionRule}): the decision, made when the
 * pool is made, and after the pool is closed the size record, written only when this process's close
 * was the one that compacted: every connection it made opened the file itself (H2's embedded
 * session, not one through another process's AUTO_SERVER, whose own decision applies) and the
 * database is closed once the pool is (no lock file: no other process's session kept it open, to be
 * closed, and compacted, later at this process's exit). When in doubt nothing is recorded, and the
 * next process compacts again.
 */
final class CloseCompaction {

    private final H2Store store;
    private final CompactionRule.Close close;
    private final AtomicBoolean embedded = new AtomicBoolean();
    private final AtomicBoolean throughAnother = new AtomicBoolean();

    private CloseCompaction(H2Store store, CompactionRule.Close close) {
        this.store = store;
        this.close = close;
    }

    /** Decides from the file's size now and the size recorded at the last compacting close. */
    static CloseCompaction decide(H2Store store, CompactionRule.Mode mode) {
        long size;
        try {
            size = Files.size(store.dataFile());
        } catch (IOException e) {
            size = 0;  // opening it will say why; a compacting close does no harm
        }
        return new CloseCompaction(store, CompactionRule.atClose(mode, size,
                mode == CompactionRule.Mode.EVERY_CLOSE ? java.util.OptionalLong.empty() : store.compactedSize()));
    }

    CompactionRule.Close close() {
        return close;
    }

    boolean compact() {
        return close != CompactionRule.Close.KEEP;
    }

    String url() {
        return store.url(close);
    }

    /** A connection the pool made: whether it opened the file in this process. */
    void made(Connection connection) {
        try {
            JdbcConnection h2 = connection instanceof JdbcConnection j ? j
                    : connection.isWrapperFor(JdbcConnection.class) ? connection.unwrap(JdbcConnection.class) : null;
            if (h2 != null && h2.getSession() instanceof SessionLocal) {
                embedded.set(true);
            } else {
                throughAnother.set(true);
            }
        } catch (SQLException | RuntimeException e) {
            throughAnother.set(true);
        }
    }

    /** After the pool is closed: the size record, when this process's close compacted the file. */
    void poolClosed() {
        if (compact() && embedded.get() && !throughAnother.get() && !store.lockFileExists()) {
            store.tightenFiles();  // a rewritten file is a new one, made with the process umask
            store.recordCompactedSize();
        }
    }
}
