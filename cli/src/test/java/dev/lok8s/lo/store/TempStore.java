package dev.lok8s.lo.store;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A migrated H2 file store in a temp directory (the H2 {@link TestStore}), opened with the production URL options, without
 * booting Quarkus. Holds one connection open so the database is not closed between calls
 * (as Agroal's pool does in the app).
 */
public final class TempStore implements TestStore {

    public final Path dir;
    public final String url;
    public final JdbcDataSource dataSource;
    private final Connection keeper;

    private TempStore(Path dir) throws SQLException {
        // a Quarkus application that ran earlier in this JVM (a @QuarkusMainTest) deregistered the
        // driver on shutdown; H2Store opens through DriverManager
        org.h2.Driver.load();
        this.dir = dir;
        this.url = StoreLocation.h2Url(dir);
        this.dataSource = dataSource(url);
        migrate(url);
        this.keeper = dataSource.getConnection();
        H2Store.at(dir).tightenFiles();  // as StoreBeans does after the app's first connection
    }

    public static TempStore create() {
        try {
            return new TempStore(Files.createTempDirectory("lo-store-"));
        } catch (IOException | SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static TempStore at(Path dir) {
        try {
            return new TempStore(dir);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void migrate(String url) {
        Flyway.configure().dataSource(dataSource(url)).locations("classpath:db/migration").load().migrate();
    }

    /** lo's own data source for the store of a URL made by {@link StoreLocation#h2Url} (user LO, its password). */
    public static JdbcDataSource dataSource(String url) {
        String file = url.substring("jdbc:h2:file:".length(), url.indexOf(';'));
        return H2Store.at(Path.of(file).getParent()).dataSource();
    }

    @Override
    public StoreEngine engine() {
        return StoreEngine.H2;
    }

    @Override
    public JdbcDataSource dataSource() {
        return dataSource;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String user() {
        return dataSource.getUser();
    }

    @Override
    public String password() {
        return dataSource.getPassword();
    }

    @Override
    public void close() throws Exception {
        keeper.close();
        deleteTree(dir);
    }

    @Override
    public void releaseForOtherProcesses() throws SQLException {
        keeper.close();
    }

    /** Closes the database but leaves its files, for another process (or Quarkus) to open. */
    public void closeKeepingFiles() throws SQLException {
        keeper.close();
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
