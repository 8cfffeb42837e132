package dev.lok8s.lo.store;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.NodeConnected;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Another local user, or anyone on the network, must not reach the store: the H2 server listens
 * on loopback only, the files are private, the login is a random password kept in a private
 * file, and lo's connections cannot run Java code or touch files from SQL. Real H2 files.
 */
class StoreSecurityTest {

    final List<Path> dirs = new ArrayList<>();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void clean() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        for (Path d : dirs) {
            TempStore.deleteTree(d);
        }
    }

    Path newDir() throws IOException {
        Path parent = Files.createTempDirectory("lo-sec-");
        dirs.add(parent);
        return parent.resolve("state");
    }

    @Test
    void theServerOfAnOpenStoreListensOnLoopbackOnly() throws Exception {
        TempStore store = TempStore.at(newDir());
        open.add(store::closeKeepingFiles);
        Properties lock = new Properties();
        lock.load(Files.newBufferedReader(store.dir.resolve("lo.lock.db"), StandardCharsets.ISO_8859_1));
        String server = lock.getProperty("server");
        assertThat(server).as("the lock file's server entry").isNotNull();
        String port = server.substring(server.lastIndexOf(':') + 1);
        assertThat(server.substring(0, server.lastIndexOf(':'))).as("address other processes are told to use")
                .isIn("localhost", "127.0.0.1");

        Process ss = new ProcessBuilder("ss", "-Hltn", "sport", "= :" + port).redirectErrorStream(true).start();
        assertThat(ss.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String listening = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(listening).as("ss -ltn for port " + port).isNotEmpty();
        for (String line : listening.split("\n")) {
            String local = line.trim().split("\\s+")[3];
            assertThat(local).as("listening address of H2's server").isIn("127.0.0.1:" + port, "[::ffff:127.0.0.1]:" + port);
        }
    }

    @Test
    void theDirectoryIsPrivateAndTheFilesOnlyReadableByTheOwner() throws Exception {
        TempStore store = TempStore.at(newDir());
        open.add(store::closeKeepingFiles);
        assertThat(mode(store.dir)).isEqualTo("rwx------");
        for (String file : List.of("lo.mv.db", "lo.lock.db", H2Store.PASSWORD_FILE)) {
            assertThat(mode(store.dir.resolve(file))).as(file).isEqualTo("rw-------");
        }
        assertThat(store.dir.resolve("lo.trace.db")).as("no trace file").doesNotExist();
    }

    @Test
    void anExistingOpenDirectoryIsTightened() throws Exception {
        Path dir = newDir();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        H2Store.at(dir).prepare();
        assertThat(mode(dir)).isEqualTo("rwx------");
    }

    @Test
    void theOldLoginFailsAndLosConnectionsCannotRunJavaOrTouchFiles() throws Exception {
        TempStore store = TempStore.at(newDir());
        open.add(store::closeKeepingFiles);
        assertThatThrownBy(() -> DriverManager.getConnection(store.url, "sa", "").close())
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(28000));
        Properties file = new Properties();
        file.load(Files.newBufferedReader(store.dir.resolve(H2Store.PASSWORD_FILE)));
        assertThat(file.getProperty("lo")).hasSizeGreaterThanOrEqualTo(32);
        assertThat(file.getProperty("admin")).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(file.getProperty("lo"));

        Path written = store.dir.resolve("written-by-sql");
        try (Connection c = store.dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String sql : List.of(
                    "CREATE ALIAS RUN_IT FOR 'java.lang.Runtime.getRuntime'",
                    "CREATE ALIAS COMPILED AS 'String f() { return \"x\"; }'",
                    "CREATE TRIGGER T BEFORE INSERT ON events FOR EACH ROW CALL 'org.h2.tools.TriggerAdapter'",
                    "SELECT FILE_WRITE('x', '" + written + "')",
                    "SELECT FILE_READ('/etc/hostname')",
                    "RUNSCRIPT FROM '/etc/hostname'",
                    "CREATE USER OTHER PASSWORD 'x' ADMIN")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).as(sql).isEqualTo(90040));
            }
        }
        assertThat(written).doesNotExist();
    }

    @Test
    void aStoreMadeWithTheOldLoginGetsPasswordsAndKeepsItsHistory() throws Exception {
        Path dir = newDir();
        Files.createDirectories(dir);
        H2Store.bindToLoopback();  // as lo does before anything loads the driver
        // What lo wrote before: admin sa with an empty password, the old URL options.
        String oldUrl = "jdbc:h2:file:" + dir.resolve("lo") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0;LOCK_TIMEOUT=10000";
        org.h2.jdbcx.JdbcDataSource old = new org.h2.jdbcx.JdbcDataSource();
        old.setURL(oldUrl);
        old.setUser("sa");
        old.setPassword("");
        try (Connection keep = old.getConnection()) {
            Flyway.configure().dataSource(old).locations("classpath:db/migration").load().migrate();
            TestStore.eventStore(old).append("project-old", ExpectedVersion.NO_STREAM,
                    List.of(new NodeConnected("old.dev", "old", "node", "lok8s-it", null)),
                    EventMetadata.local(null, "lo before passwords", "test"));
        }

        H2Store h2 = H2Store.at(dir);
        org.h2.jdbcx.JdbcDataSource ds = h2.dataSource();
        try (Connection keep = ds.getConnection()) {
            assertThat(TestStore.eventStore(ds).readStream("project-old")).hasSize(1);
            assertThatThrownBy(() -> DriverManager.getConnection(oldUrl, "sa", "").close())
                    .isInstanceOf(SQLException.class);
        }
        assertThat(Files.readString(h2.passwordFile())).contains("state=ready");
        assertThat(mode(h2.passwordFile())).isEqualTo("rw-------");
        assertThat(mode(h2.dataFile())).isEqualTo("rw-------");
    }

    @Test
    void anEmptyStoreFileIsRefusedNotReplaced() throws Exception {
        Path dir = newDir();
        Files.createDirectories(dir);
        Files.createFile(dir.resolve("lo.mv.db"));
        assertThatThrownBy(() -> H2Store.at(dir).prepare())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(dir.resolve("lo.mv.db") + " is empty (0 bytes)")
                .hasMessageContaining("mv " + dir.resolve("lo.mv.db"))
                .hasMessageNotContaining("\n");
        assertThat(Files.size(dir.resolve("lo.mv.db"))).isZero();
    }

    @Test
    void aStoreFileGoneWhileThePasswordFileSaysReadyIsRefusedNotMadeAnew() throws Exception {
        // A store made by an earlier process (this process keeps one prepared instance per directory,
        // so the state it left is copied to a directory this process has not opened): its password
        // file says ready, its data file is gone.
        Path earlier = newDir();
        H2Store.at(earlier).prepare();
        assertThat(Files.readString(earlier.resolve(H2Store.PASSWORD_FILE))).contains("state=ready");
        Path dir = newDir();
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path passwords = Files.copy(earlier.resolve(H2Store.PASSWORD_FILE), dir.resolve(H2Store.PASSWORD_FILE));
        Path data = dir.resolve("lo.mv.db");

        assertThatThrownBy(() -> H2Store.at(dir).prepare())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("event store " + data + " is missing, but " + passwords + " says it was made")
                .hasMessageContaining("restore it from a backup")
                .hasMessageContaining("mv " + passwords + " " + passwords + ".old")
                .hasMessageNotContaining("\n");
        assertThat(data).as("no new, empty store in its place").doesNotExist();

        Files.move(passwords, dir.resolve(H2Store.PASSWORD_FILE + ".old"));
        assertThat(H2Store.at(dir).prepare()).as("with the password file moved aside: a new store").isNotBlank();
        assertThat(data).exists();
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
