package dev.lok8s.lo.store;

import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.events.CertsDirWritten;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Store benchmark (bench/store-bench.sh runs it): durable single-writer append throughput,
 * projection rebuild of 100,000 events, and {@code history --domain X --limit 50} over 1,000,000
 * events. Prints medians; not an assertion. Args: DIR [ROUNDS] [history|smoke]. Leaves the 1M-event store
 * in DIR/big for the CLI measurement. {@code smoke}: the same steps at a hundredth of the sizes (2,000
 * appends become 200, 100,000 events 1,000, 1,000,000 events 10,000), so that the bench's code runs
 * in seconds (bench/store-bench.sh --smoke, BenchSmokeIT).
 */
public final class StoreBench {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Files.createDirectories(dir);
        int scale = args.length > 2 && args[2].equals("smoke") ? 100 : 1;
        int appends = 2_000 / scale;
        int rebuilt = 100_000 / scale;
        int seeded = 1_000_000 / scale;
        if (args.length > 2 && args[2].equals("history")) {
            // reuse DIR/big from an earlier run
            try (Bench b = new Bench(dir.resolve("big"))) {
                history(b.store, rounds, b.store.headPosition());
            }
            return;
        }

        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            Path d = fresh(dir.resolve("append"));
            try (Bench b = new Bench(d)) {
                int n = appends;
                EventMetadata meta = EventMetadata.local(UUID.randomUUID(), "bench", "bench");
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    b.store.append("project-bench", ExpectedVersion.ANY, List.of(step(i)), meta);
                }
                rates.add(n / ((System.nanoTime() - t0) / 1e9));
            }
        }
        System.out.printf("append, 1 event per commit, single writer (WRITE_DELAY=0): median %.0f events/s %s%n",
                median(rates), fmt(rates));

        List<Double> rebuilds = new ArrayList<>();
        Path rb = fresh(dir.resolve("rebuild"));
        try (Bench b = new Bench(rb)) {
            seed(b.store, rebuilt, 100);
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                long replayed = b.store.rebuildProjections();
                rebuilds.add((System.nanoTime() - t0) / 1e9);
                if (replayed != rebuilt) {
                    throw new IllegalStateException("replayed " + replayed);
                }
            }
        }
        System.out.printf("projection rebuild, %,d events: median %.2f s %s%n", rebuilt, median(rebuilds), fmt(rebuilds));

        Path big = fresh(dir.resolve("big"));
        try (Bench b = new Bench(big)) {
            long t0 = System.nanoTime();
            seed(b.store, seeded, 100);
            System.out.printf("seeded %,d events (1,000 per append, 100 domains) in %.0f s%n", seeded,
                    (System.nanoTime() - t0) / 1e9);
            history(b.store, rounds, seeded);
        }
        System.out.println("retried: " + RetryCounter.snapshot());
    }

    /**
     * Each query names another domain: H2 hands back a cached result for a repeated identical query,
     * which would measure the cache rather than the index.
     */
    static void history(EventStore store, int rounds, long events) {
        for (String type : new String[] {null, "CertsDirWritten"}) {
            List<Double> latencies = new ArrayList<>();
            for (int r = 0; r < Math.max(rounds, 5) * 4; r++) {
                // CertsDirWritten is in domains whose number ends in 3..9
                String domain = "d" + (type == null ? (r * 37) % 100 : (r * 10 + 3) % 100) + ".lok8s.dev";
                long q0 = System.nanoTime();
                HistoryPage page = store.query(new HistoryQuery(domain, type, null, null, null, 50, null));
                latencies.add((System.nanoTime() - q0) / 1e6);
                if (page.events().size() != 50) {
                    throw new IllegalStateException("got " + page.events().size());
                }
            }
            System.out.printf("history --domain X%s --limit 50 over %,d events, in process: median %.2f ms"
                            + " (first, cold: %.1f ms) %s%n", type == null ? "" : " --type " + type, events,
                    median(latencies), latencies.getFirst(), fmt(latencies));
        }
    }

    /** Mostly events whose projection is cheap, some that upsert read models, across {@code domains} domains. */
    static void seed(EventStore store, int total, int domains) {
        EventMetadata meta = EventMetadata.local(UUID.randomUUID(), "bench seed", "bench");
        int batch = 1_000;
        for (int start = 0; start < total; start += batch) {
            List<LoEvent> events = new ArrayList<>(batch);
            for (int i = start; i < start + batch && i < total; i++) {
                String domain = "d" + (i % domains) + ".lok8s.dev";
                events.add(switch (i % 10) {
                    case 0 -> new RegistryStarted(domain, "p" + (i % domains), "c" + (i % 5000), Role.BUILD, "n", "10.0.0.1", "img", "h");
                    case 1 -> new NodeConnected(domain, "p", "node" + (i % 5000), "lok8s-registries", null);
                    case 2 -> new StepCompleted(UUID.randomUUID(), domain, "p", "s", StepOutcome.unchanged, i);
                    default -> new CertsDirWritten(domain, "p", "/x/certs.d", List.of("hosts.toml"));
                });
            }
            store.append("bench-" + (start / batch), ExpectedVersion.NO_STREAM, events, meta);
        }
    }

    static StepCompleted step(int i) {
        return new StepCompleted(UUID.randomUUID(), "bench.dev", "p", "step-" + (i % 20), StepOutcome.created, i);
    }

    static Path fresh(Path d) throws Exception {
        TempStore.deleteTree(d);
        Files.createDirectories(d);
        return d;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String fmt(List<Double> xs) {
        return xs.stream().map(x -> String.format("%.1f", x)).toList().toString();
    }

    /** A migrated store whose appends reuse one connection, as Agroal's pool does in the app. */
    static final class Bench implements AutoCloseable {
        final Connection connection;
        final EventStore store;

        Bench(Path dir) throws SQLException {
            String url = StoreLocation.h2Url(dir);
            TempStore.migrate(url);
            JdbcDataSource h2 = dev.lok8s.lo.store.TempStore.dataSource(url);
            connection = h2.getConnection();
            store = TestStore.eventStore(reusing(connection));
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    static DataSource reusing(Connection c) {
        Connection unclosable = (Connection) Proxy.newProxyInstance(StoreBench.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, margs) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(c, margs);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return new DataSource() {
            public Connection getConnection() {
                return unclosable;
            }

            public Connection getConnection(String u, String p) {
                return unclosable;
            }

            public PrintWriter getLogWriter() {
                return null;
            }

            public void setLogWriter(PrintWriter out) {
            }

            public void setLoginTimeout(int seconds) {
            }

            public int getLoginTimeout() {
                return 0;
            }

            public Logger getParentLogger() throws SQLFeatureNotSupportedException {
                throw new SQLFeatureNotSupportedException();
            }

            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }
}
