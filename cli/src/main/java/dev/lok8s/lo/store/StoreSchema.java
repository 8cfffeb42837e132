package dev.lok8s.lo.store;

import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Brings the store's schema up to date the first time a command uses the store, instead of at
 * every start: {@code lo --help} or {@code lo provision --dry-run} never open the database,
 * and a read-only command pays one indexed query, not Flyway's validation, when the schema is
 * current.
 */
public final class StoreSchema {

    /**
     * The newest migration under db/migration, as Flyway records it ({@code V16_1__x.sql} is "16.1").
     * {@code StoreSchemaTest} fails when a migration is added without raising it.
     */
    public static final String LATEST_VERSION = "16.1";

    private StoreSchema() {
    }

    /** @return whether migrations ran */
    public static boolean ensureCurrent(DataSource dataSource, java.util.function.Supplier<Flyway> flyway) {
        return ensureCurrent(dataSource, flyway, Runnable::run);
    }

    /**
     * @param serialised runs the migration so that one process at a time migrates (several lo
     *                   processes started at once on a new store would otherwise all create the tables)
     * @return whether migrations ran
     */
    public static boolean ensureCurrent(DataSource dataSource, java.util.function.Supplier<Flyway> flyway,
                                        java.util.function.Consumer<Runnable> serialised) {
        return ensureCurrent(dataSource, flyway, serialised, RetryPolicy.DEFAULT);
    }

    /** @param retry how long to keep trying to reach the store (a PostgreSQL server has its own, shorter) */
    public static boolean ensureCurrent(DataSource dataSource, java.util.function.Supplier<Flyway> flyway,
                                        java.util.function.Consumer<Runnable> serialised, RetryPolicy retry) {
        if (isCurrent(dataSource, retry)) {
            return false;
        }
        boolean[] migrated = {false};
        serialised.accept(() -> {
            if (!isCurrent(dataSource, retry)) {
                try {
                    migrated[0] = flyway.get().migrate().migrationsExecuted > 0;
                } catch (org.flywaydb.core.api.FlywayException e) {
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

    static boolean isCurrent(DataSource dataSource) {
        return isCurrent(dataSource, RetryPolicy.DEFAULT);
    }

    static boolean isCurrent(DataSource dataSource, RetryPolicy retry) {
        return retry.run("open the store", () -> isCurrentOnce(dataSource));
    }

    private static boolean isCurrentOnce(DataSource dataSource) throws SQLException {
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
            ps.setString(1, LATEST_VERSION);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }
}
