package dev.lok8s.lo.store;

import io.agroal.api.AgroalDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compaction decision on a real H2 file: the URL H2 opens the file with carries it, the size
 * record is written 0600 after a compacting close of this process, and a missing or garbled record
 * makes the next close compact (and write it again).
 */
class CloseCompactionTest {

    Path dir;
    H2Store store;

    @BeforeEach
    void newStore() throws Exception {
        TempStore made = TempStore.at(Files.createTempDirectory("lo-compact-").resolve("state"));
        made.closeKeepingFiles();
        dir = made.dir;
        store = H2Store.at(dir);
    }

    @AfterEach
    void clean() throws Exception {
        TempStore.deleteTree(dir.getParent());
    }

    Path record() {
        return dir.resolve("lo.compacted");
    }

    /** A command's use of the store: the pool made with the decision, one query, the pool closed. */
    String openAndClose(CloseCompaction closing) throws Exception {
        AgroalDataSource pool = StorePool.h2(closing, store.prepare());
        String setting;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'MAX_COMPACT_TIME'")) {
            setting = rs.next() ? rs.getString(1) : null;
        } finally {
            pool.close();
        }
        closing.poolClosed();
        return setting;
    }

    @Test
    void aFirstCloseCompactsAndRecordsTheSizePrivately() throws Exception {
        assertThat(record()).doesNotExist();
        CloseCompaction closing = CloseCompaction.decide(store, CompactionRule.Mode.WHEN_GROWN);
        assertThat(closing.compact()).as("no record yet").isTrue();

        assertThat(closing.close()).as("a small file").isEqualTo(CompactionRule.Close.REWRITE);
        assertThat(openAndClose(closing)).as("rewritten whole at close").isEqualTo("-1");

        assertThat(dir.resolve("lo.lock.db")).as("the database is closed").doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dataFile())))
                .as("the rewritten file").isEqualTo("rw-------");
        assertThat(dir.resolve("lo.mv.db.tempFile")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record()))).isEqualTo("rw-------");
        assertThat(store.compactedSize()).isEqualTo(OptionalLong.of(Files.size(store.dataFile())));
    }

    @Test
    void aRewrittenStoreKeepsItsDataAndOpensAgain() throws Exception {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE compaction_probe(id INT PRIMARY KEY, text VARCHAR(1000))");
            for (int i = 0; i < 2000; i++) {
                s.execute("INSERT INTO compaction_probe VALUES (" + i + ", REPEAT('x', 500))");
            }
            s.execute("DELETE FROM compaction_probe WHERE id >= 10");
        }
        long before = Files.size(store.dataFile());
        openAndClose(CloseCompaction.decide(store, CompactionRule.Mode.WHEN_GROWN));
        assertThat(Files.size(store.dataFile())).as("rewritten with its live pages").isLessThan(before);
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), MIN(text) FROM compaction_probe")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(10);
            assertThat(rs.getString(2)).isEqualTo("x".repeat(500));
        }
    }

    @Test
    void theNextCloseDoesNotCompactAndLeavesTheRecord() throws Exception {
        openAndClose(CloseCompaction.decide(store, CompactionRule.Mode.WHEN_GROWN));
        String recorded = Files.readString(record());

        CloseCompaction next = CloseCompaction.decide(store, CompactionRule.Mode.WHEN_GROWN);
        assertThat(next.compact()).isFalse();
        assertThat(openAndClose(next)).as("H2 opened the file with no compaction at close").isEqualTo("0");
        assertThat(Files.readString(record())).isEqualTo(recorded);
    }

    @Test
    void loServesModeCompactsEveryTime() throws Exception {
        openAndClose(CloseCompaction.decide(store, CompactionRule.Mode.WHEN_GROWN));
        CloseCompaction serve = CloseCompaction.decide(store, CompactionRule.Mode.EVERY_CLOSE);
        assertThat(serve.compact()).isTrue();
        assertThat(openAndClose(serve)).isEqualTo("200");
    }

    @Test
    void aGarbledRecordIsNoRecordAndIsWrittenAgain() throws Exception {
        for (byte[] garbage : new byte[][]{
                "size=12ab\n".getBytes(StandardCharsets.UTF_8),
                "size=-5\n".getBytes(StandardCharsets.UTF_8),
                "size=99999999999999999999999\n".getBytes(StandardCharsets.UTF_8),
                new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1, 2},
                ("size=1\n" + "#".repeat(5000)).getBytes(StandardCharsets.UTF_8)}) {
            Files.write(record(), garbage);
            assertThat(store.compactedSize()).as(new String(garbage, StandardCharsets.ISO_8859_1)).isEmpty();
            CloseCompaction closing = CloseCompaction.decide(store, CompactionRule.Mode.WHEN_GROWN);
            assertThat(closing.compact()).isTrue();
            openAndClose(closing);
            assertThat(store.compactedSize()).isEqualTo(OptionalLong.of(Files.size(store.dataFile())));
        }
    }

    @Test
    void aRecordLargerThanTheFileMakesTheCloseCompact() throws Exception {
        Files.writeString(record(), "size=" + 50L * 1024 * 1024 * 1024 + "\n");
        assertThat(CloseCompaction.decide(store, CompactionRule.Mode.WHEN_GROWN).compact()).isTrue();
    }

    @Test
    void noRecordWhileTheDatabaseStaysOpenAfterThePoolCloses() throws Exception {
        // another session (here: this JVM's own, standing in for another process's) keeps the database
        // open: it is closed, and compacted, later; the size now would not be the compacted one
        CloseCompaction closing = CloseCompaction.decide(store, CompactionRule.Mode.WHEN_GROWN);
        try (Connection other = store.dataSource().getConnection()) {
            openAndClose(closing);
            assertThat(record()).doesNotExist();
        }
    }
}
