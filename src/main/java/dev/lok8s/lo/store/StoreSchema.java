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
     * The newest migration under db/migration. {@code StoreSchemaTest} fails when a migration is
     * added without raising it.
     */
    public static final String LATEST_VERSION = "12";

    private StoreSchema() {
    }

    /** @return whether migrations ran */
    public static boolean ensureCurrent(DataSource dataSource, java.util.function.Supplier<Flyway> flyway) {
        if (!isCurrent(dataSource)) {
            return flyway.get().migrate().migrationsExecuted > 0;
        }
        return false;
    }

    static boolean isCurrent(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            // Asking the catalog first keeps H2 from logging a missing table as an error on a new store.
            try (ResultSet tables = c.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
                if (!tables.next()) {
                    return false;
                }
            }
            return latestApplied(c);
        } catch (SQLException e) {
            return false;
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
