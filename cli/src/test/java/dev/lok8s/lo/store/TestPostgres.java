package dev.lok8s.lo.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The test PostgreSQL server of deploy/postgres-up.sh. Its coordinates come from the environment
 * ({@code LO_TEST_PG_URL}, {@code _USER}, {@code _PASSWORD}: deploy/test.sh sets them); when they
 * are missing (a single test run from an IDE or {@code mvnw -Dtest=...}) the script is run here,
 * which installs and starts the server if needed. Each test store is a database of its own.
 */
public final class TestPostgres {

    /** Where the server is, as the administrator (a superuser that may create databases). */
    public record Server(String url, String user, String password) {
    }

    private static Server server;

    private TestPostgres() {
    }

    public static synchronized Server server() {
        if (server == null) {
            Map<String, String> env = new HashMap<>(System.getenv());
            if (blank(env.get("LO_TEST_PG_URL"))) {
                env.putAll(runScript("start"));
            }
            server = new Server(env.get("LO_TEST_PG_URL"), env.get("LO_TEST_PG_USER"), env.get("LO_TEST_PG_PASSWORD"));
        }
        return server;
    }

    /** A new, empty database; returns its JDBC URL. */
    public static String createDatabase() {
        String name = "lo_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name);
        return databaseUrl(name);
    }

    private static String template;

    /**
     * A new database with the store's schema: a copy of a template migrated once per test JVM
     * (copying is much faster than running every migration for every test). Returns its JDBC URL.
     */
    public static synchronized String createMigratedDatabase() {
        if (template == null) {
            String url = createDatabase();
            StoreEngine.migrate(url, server().user(), server().password());
            template = url.substring(url.lastIndexOf('/') + 1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    admin("DROP DATABASE IF EXISTS " + template + " WITH (FORCE)");
                } catch (RuntimeException ignored) {
                    // the server is gone already: the cluster is a throwaway one
                }
            }));
        }
        String name = "lo_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin("CREATE DATABASE " + name + " TEMPLATE " + template);
        return databaseUrl(name);
    }

    public static void dropDatabase(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1);
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static String databaseUrl(String name) {
        String base = server().url();
        return base.substring(0, base.lastIndexOf('/') + 1) + name.toLowerCase(Locale.ROOT);
    }

    /**
     * A pooled data source, as the app's (Agroal) is: a new connection costs a SCRAM handshake, which
     * would otherwise dominate every append.
     */
    public static AgroalDataSource dataSource(String url) {
        return dataSource(url, server().user(), server().password());
    }

    public static AgroalDataSource dataSource(String url, String user, String password) {
        // bounded: a stopped server fails a connection attempt in seconds, not minutes
        String bounded = url + (url.contains("?") ? "&" : "?") + "connectTimeout=10&socketTimeout=120";
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(16)
                        .acquisitionTimeout(Duration.ofSeconds(60))
                        .connectionFactoryConfiguration(f -> f.jdbcUrl(bounded)
                                .principal(new NamePrincipal(user))
                                .credential(new SimplePassword(password))));
        try {
            return AgroalDataSource.from(config);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open a pool for " + url + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server at once (immediate shutdown: its clients see what a crash or a network cut looks like). */
    public static void kill() {
        runScript("kill");
    }

    /** Starts it again (after {@link #kill}). */
    public static void start() {
        runScript("start");
    }

    private static void admin(String sql) {
        Server s = server();
        Properties login = new Properties();
        login.setProperty("user", s.user());
        login.setProperty("password", s.password());
        // the driver itself, not DriverManager: a Quarkus application that ran earlier in this JVM
        // (a @QuarkusMainTest) deregisters the drivers it saw when it shuts down
        try (Connection c = new org.postgresql.Driver().connect(s.url(), login);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL at " + s.url() + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> runScript(String command) {
        Path script = repoRoot().resolve("deploy/postgres-up.sh");
        try {
            Process p = new ProcessBuilder(script.toString(), command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(script + " " + command + " did not finish within 180 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(script + " " + command + " exited " + p.exitValue());
            }
            Map<String, String> values = new HashMap<>();
            out.lines().filter(l -> l.contains("=")).forEach(l -> values.put(l.substring(0, l.indexOf('=')),
                    l.substring(l.indexOf('=') + 1)));
            return values;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }

    /** The checkout: the first directory upwards from the working directory that has deploy/postgres-up.sh. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("deploy/postgres-up.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("deploy/postgres-up.sh not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
