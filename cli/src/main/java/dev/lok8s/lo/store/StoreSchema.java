package dev.lok8s.lo.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.io.IOException;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import javax.sql.DataSource;

/**
 * Brings the store's schema up to date the first time a command uses the store, instead of at
 * every start: {@code lo --help} or {@code lo completion} never open the database,
 * and a read-only command pays one indexed query, not Flyway's validation, when the schema is
 * current.
 */
public final class StoreSchema {

    /** Where the migrations are, for Flyway and for {@link #latestShipped}. */
    static final String MIGRATIONS = "db/migration";

    /** Flyway's versioned migration names: {@code V15__x.sql}, {@code V16_1__y.sql} (version 16.1). */
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.+\\.sql");

    private static volatile String latest;

    private StoreSchema() {
    }

    /** @return whether migrations ran */
    public static boolean ensureCurrent(DataSource dataSource, Supplier<Flyway> flyway) {
        return ensureCurrent(dataSource, flyway, Runnable::run);
    }

    /**
     * @param serialised runs the migration so that one process at a time migrates (several lo
     *                   processes started at once on a new store would otherwise all create the tables)
     * @return whether migrations ran
     */
    public static boolean ensureCurrent(DataSource dataSource, Supplier<Flyway> flyway,
                                        Consumer<Runnable> serialised) {
        return ensureCurrent(dataSource, flyway, serialised, RetryPolicy.DEFAULT);
    }

    /** @param retry how long to keep trying to reach the store (a PostgreSQL server has its own, shorter) */
    public static boolean ensureCurrent(DataSource dataSource, Supplier<Flyway> flyway,
                                        Consumer<Runnable> serialised, RetryPolicy retry) {
        if (isCurrent(dataSource, retry)) {
            return false;
        }
        boolean[] migrated = {false};
        serialised.accept(() -> {
            if (!isCurrent(dataSource, retry)) {
                try {
                    migrated[0] = flyway.get().migrate().migrationsExecuted > 0;
                } catch (FlywayException e) {
                    SQLException cause = sqlCause(e);
                    throw new StoreException(cause != null ? StoreFailures.describe("migrate the schema", cause)
                            : StoreFailures.storeName() + ": cannot migrate the schema: " + StoreFailures.oneLine(e.getMessage()), e);
                }
            }
        });
        return migrated[0];
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    /**
     * The newest migration this build ships, as Flyway records its version ("15", "16.1"): read
     * from the migrations on the class path once per process, so a migration added on any branch
     * is noticed without a constant to raise. A store whose history holds it is current and pays
     * one indexed query; any other goes through Flyway.
     */
    public static String latestShipped() {
        String known = latest;
        if (known == null) {
            known = newest(migrationNames(StoreSchema.class.getClassLoader()))
                    .orElseThrow(() -> new IllegalStateException("no migrations under " + MIGRATIONS + " on the class path"));
            latest = known;
        }
        return known;
    }

    /** The newest version among Flyway migration file names, as Flyway writes it (dots); other names are ignored. */
    static Optional<String> newest(Collection<String> fileNames) {
        Comparator<List<BigInteger>> byParts = (a, b) -> {
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                int c = (i < a.size() ? a.get(i) : BigInteger.ZERO).compareTo(i < b.size() ? b.get(i) : BigInteger.ZERO);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
        return fileNames.stream()
                .map(VERSIONED::matcher)
                .filter(Matcher::matches)
                .map(m -> m.group(1).replace('_', '.'))
                .max(Comparator.comparing(v -> Arrays.stream(v.split("\\."))
                        .map(BigInteger::new).toList(), byParts));
    }

    /** The file names under {@value #MIGRATIONS} in every class-path entry: a directory (tests) or a jar. */
    static List<String> migrationNames(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        try {
            var roots = loader.getResources(MIGRATIONS);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                switch (root.getProtocol()) {
                    case "file" -> {
                        try (var files = Files.list(Path.of(root.toURI()))) {
                            files.forEach(f -> names.add(f.getFileName().toString()));
                        }
                    }
                    case "jar" -> {
                        var connection = (JarURLConnection) root.openConnection();
                        connection.setUseCaches(false);
                        String prefix = MIGRATIONS + "/";
                        try (var jar = connection.getJarFile()) {
                            jar.stream().map(ZipEntry::getName)
                                    .filter(n -> n.startsWith(prefix) && n.indexOf('/', prefix.length()) < 0 && n.length() > prefix.length())
                                    .forEach(n -> names.add(n.substring(prefix.length())));
                        }
                    }
                    default -> throw new IllegalStateException("cannot list the migrations at " + root);
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the migrations under " + MIGRATIONS + ": " + e.getMessage(), e);
        }
        return names;
    }

    static boolean isCurrent(DataSource dataSource) {
        return isCurrent(dataSource, RetryPolicy.DEFAULT);
    }

    static boolean isCurrent(DataSource dataSource, RetryPolicy retry) {
        return retry.run("open the store", () -> isCurrentOnce(dataSource));
    }

    /** One look, no retries (the early open; the command retries when it uses the store). */
    static boolean isCurrentOnce(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // Asking the catalog first keeps H2 from logging a missing table as an error on a new store.
            try (ResultSet tables = c.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
                if (!tables.next()) {
                    return false;
                }
            }
            return latestApplied(c);
        }
    }

    private static boolean latestApplied(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"version\" = ? AND \"success\" = TRUE")) {
            ps.setString(1, latestShipped());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }
}
