package dev.lok8s.lo.store;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** A real H2 file: compacted at close when mostly garbage, left alone when mostly live. */
class StoreCompactionTest {

    @TempDir
    Path dir;

    private JdbcDataSource file() {
        JdbcDataSource ds = new JdbcDataSource();
        // the close itself compacts nothing, as with lo's URL
        ds.setURL("jdbc:h2:file:" + dir.resolve("db") + ";MAX_COMPACT_TIME=0;WRITE_DELAY=0");
        ds.setUser("sa");
        return ds;
    }

    private static void fill(Connection c, int rows) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS t(id INT PRIMARY KEY, payload VARCHAR(4000))");
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO t VALUES (?, ?)")) {
            for (int i = 0; i < rows; i++) {
                p.setInt(1, i);
                p.setString(2, ("row " + i + " ").repeat(200));
                p.executeUpdate();  // one commit each, as lo's appends: many chunks
            }
        }
    }

    @Test
    void a_file_mostly_deleted_is_compacted_and_shrinks() throws Exception {
        long before;
        try (Connection c = file().getConnection()) {
            fill(c, 500);
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM t WHERE id >= 20");
            }
            before = Files.size(dir.resolve("db.mv.db"));

            // a budget no loaded machine runs out of: the policy and H2's mechanism, not its speed
            assertThat(StoreCompaction.compactIfSparse(c, 30_000)).as("compacted").isTrue();
        }
        assertThat(Files.size(dir.resolve("db.mv.db"))).as("the file after compaction and close").isLessThan(before / 2);
    }

    @Test
    void a_file_mostly_live_is_left_alone() throws Exception {
        try (Connection c = file().getConnection()) {
            c.setAutoCommit(false);
            fill(c, 3_000);  // one commit: few chunks, all live
            c.commit();
            c.setAutoCommit(true);
            assertThat(Files.size(dir.resolve("db.mv.db"))).as("large enough to have a MiB of garbage").isGreaterThan(2L << 20);

            assertThat(StoreCompaction.compactIfSparse(c, 30_000)).as("compacted").isFalse();
        }
    }

    @Test
    void sparse_means_a_mib_dead_and_no_less_dead_than_live() {
        assertThat(StoreCompaction.sparse(10L << 20, 40)).as("6 MiB dead, 4 live").isTrue();
        assertThat(StoreCompaction.sparse(10L << 20, 60)).as("4 MiB dead, 6 live").isFalse();
        assertThat(StoreCompaction.sparse(1L << 20, 10)).as("under a MiB dead").isFalse();
    }
}
