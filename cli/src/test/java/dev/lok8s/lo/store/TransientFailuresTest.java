package dev.lok8s.lo.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** Only what heals by itself is retried; a full disk, a damaged file or a denied permission is not. */
class TransientFailuresTest {

    static SQLException h2(int code, String message, Throwable cause) {
        return new SQLException(message, String.valueOf(code), code, cause);
    }

    @Test
    void theHandOverBetweenProcessesAndLockWaitsAreRetried() {
        assertThat(TransientFailures.isTransient(h2(90067, "Connection is broken", null))).isTrue();
        assertThat(TransientFailures.isTransient(h2(90020, "Database may be already in use", null))).isTrue();
        assertThat(TransientFailures.isTransient(h2(8000, "Error opening database: \"Lock file recently modified\"", null))).isTrue();
        assertThat(TransientFailures.isTransient(h2(8000, "Error opening database: \"Another process was faster\"", null))).isTrue();
        assertThat(TransientFailures.isTransient(h2(50200, "Timeout trying to lock table", null))).isTrue();
        assertThat(TransientFailures.isTransient(h2(50000,
                "General error: \"org.h2.mvstore.MVStoreException: Transaction 1 is closed [2.4.240/4]\"", null))).isTrue();
        assertThat(TransientFailures.isTransient(new SQLException("Acquisition timeout while waiting for new connection",
                null, 0, new TimeoutException()))).isTrue();
    }

    @Test
    void diskDamageAndPermissionsAreNot() {
        assertThat(TransientFailures.isTransient(h2(90028, "IO Exception", new IOException("No space left on device")))).isFalse();
        assertThat(TransientFailures.isTransient(h2(8000, "Error opening database: x",
                new IOException("No space left on device")))).isFalse();
        assertThat(TransientFailures.isTransient(h2(8000, "Error opening database: something else", null))).isFalse();
        assertThat(TransientFailures.isTransient(h2(90030, "File corrupted while reading record", null))).isFalse();
        assertThat(TransientFailures.isTransient(h2(90028, "IO Exception", new IOException("Permission denied")))).isFalse();
        assertThat(TransientFailures.isTransient(h2(90098, "The database has been closed", null))).isFalse();
        assertThat(TransientFailures.isDuplicateKey(new SQLException("Unique index violation", "23505", 23505))).isTrue();
    }

    @Test
    void storeFailuresReadAsOneLineWithTheCause() {
        assertThat(StoreFailures.cause(h2(90028, "IO Exception: \"x\"\nmore", new IOException("No space left on device"))))
                .startsWith("the disk is full").doesNotContain("\n");
        assertThat(StoreFailures.cause(h2(42000, "Syntax error\nSQL statement: x", null))).isEqualTo("Syntax error");
    }
}
