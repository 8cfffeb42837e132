package dev.lok8s.lo.store;

import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts transient failures (retried, or the last before the retries ran out) by H2 error code / SQL state, for tests and benchmarks to report. */
public final class RetryCounter {
    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private RetryCounter() {
    }

    static void record(SQLException e) {
        COUNTS.computeIfAbsent(e.getErrorCode() + "/" + e.getSQLState(), k -> new LongAdder()).increment();
    }

    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        COUNTS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
