package dev.lok8s.lo.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/postgres-up.sh refuses a data directory it did not make: one another user prepared (the
 * default lies in the world-writable /var/tmp), one with a loose mode, a symbolic link, a password file
 * linked to another user's file. Refused before anything is written or started, so no server runs here.
 * As root the cluster's owner is the {@code postgres} user, which these cases need.
 */
class PostgresUpScriptTest {

    /** A port no test server uses: a refusal comes before the script looks at it. */
    static final String UNUSED_PORT = "55493";

    @TempDir
    Path root;

    @Test
    void aDirectoryAnotherUserPreparedWithALinkToTheirFileIsRefusedAndNothingIsWritten() throws Exception {
        assumeRootWithUsers();
        Path dir = root.resolve("pg");
        Files.createDirectory(dir);
        Path theirs = Files.writeString(root.resolve("theirs"), "their file\n");
        Files.createLink(dir.resolve("password"), theirs);
        owned(theirs, "nobody", "rw-rw-rw-");
        owned(dir, "nobody", "rwxrwxrwx");

        Run run = script(dir, "start");

        assertThat(run.exit()).as("refused:\n%s", run.stderr()).isEqualTo(1);
        assertThat(run.stderr().lines().toList()).as("one line").singleElement().asString()
                .startsWith("postgres-up: refusing " + dir + ": it belongs to nobody, not to postgres")
                .contains("LO_TEST_PG_DIR");
        assertThat(Files.readString(theirs)).as("nothing written through the link").isEqualTo("their file\n");
        assertThat(dir.resolve("data")).as("no cluster made").doesNotExist();
        assertThat(run.stdout()).as("no password printed").isEmpty();
    }

    @Test
    void aLooseModeALinkAndALinkedPasswordFileAreRefused() throws Exception {
        assumeRootWithUsers();
        Path loose = Files.createDirectory(root.resolve("loose"));
        owned(loose, "postgres", "rwxr-xr-x");
        assertThat(script(loose, "start").stderr()).contains("its mode is 755, not 700");

        Path good = Files.createDirectory(root.resolve("good"));
        owned(good, "postgres", "rwx------");
        Path link = Files.createSymbolicLink(root.resolve("link"), good);
        assertThat(script(link, "start").stderr()).contains("it is a symbolic link");

        Path linked = Files.createDirectory(root.resolve("linked"));
        Path password = Files.writeString(linked.resolve("password"), "x\n");
        Files.createLink(root.resolve("second-name"), password);
        owned(password, "postgres", "rw-------");
        owned(linked, "postgres", "rwx------");
        Run run = script(linked, "stop");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("its password file has 2 links");
    }

    record Run(int exit, String stdout, String stderr) {
    }

    static Run script(Path dataDir, String command) throws IOException, InterruptedException {
        Path script = TestPostgres.repoRoot().resolve("deploy/postgres-up.sh");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), command);
        pb.environment().put("LO_TEST_PG_DIR", dataDir.toString());
        pb.environment().put("LO_TEST_PG_PORT", UNUSED_PORT);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " " + command + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static void owned(Path path, String user, String mode) throws IOException {
        UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        Files.setOwner(path, owner);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    /** The cases hand files to other users: root only, with the postgres and nobody users present. */
    static void assumeRootWithUsers() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        id.waitFor(10, TimeUnit.SECONDS);
        assumeTrue(uid.equals("0"), "needs root to give files to other users");
        for (String user : List.of("postgres", "nobody")) {
            Process p = new ProcessBuilder("id", user).start();
            assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "needs the user " + user);
        }
    }
}
