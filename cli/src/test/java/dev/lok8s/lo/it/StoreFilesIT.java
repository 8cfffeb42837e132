package dev.lok8s.lo.it;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's files as a user meets them, through the real {@code lo} process: a new state
 * directory is private, an empty or damaged {@code lo.mv.db} is refused in one line that says
 * what to do (and left as it was), and a state path H2 cannot hold is refused before it
 * reaches the database URL. No Docker involved.
 */
class StoreFilesIT {

    @TempDir
    Path root;

    LoCli lo(Path state) {
        return LoCli.forTest("store-files", state).timeoutSeconds(120);
    }

    static List<String> lines(LoCli.Result r) {
        return r.stderr().lines().filter(l -> !l.isBlank()).toList();
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewStoreIsPrivate() throws Exception {
        Path state = root.resolve("state");
        LoCli.Result r = lo(state).run(root, "runs");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(state.resolve("lo.mv.db"))).isEqualTo("rw-------");
        assertThat(mode(state.resolve("lo.password"))).isEqualTo("rw-------");
        assertThat(Files.readString(state.resolve("lo.password"))).contains("state=ready");
    }

    @Test
    void anEmptyStoreFileIsRefusedAndKept() throws Exception {
        Path state = root.resolve("state");
        Files.createDirectories(state);
        Path data = Files.createFile(state.resolve("lo.mv.db"));
        for (String[] command : List.of(new String[]{"history"}, new String[]{"runs"})) {
            LoCli.Result r = lo(state).run(root, command);
            assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
            assertThat(lines(r)).as("%s", r).hasSize(1);
            assertThat(lines(r).getFirst()).startsWith("error: event store " + data + " is empty (0 bytes)")
                    .contains("restore it from a backup").contains("mv " + data + " ");
            assertThat(Files.size(data)).as("the empty file is not replaced by a new store").isZero();
        }
    }

    @Test
    void aStoreFileGoneWhileItsPasswordFileSaysReadyIsRefusedNotMadeAnew() throws Exception {
        Path state = root.resolve("state");
        assertThat(lo(state).run(root, "runs").exitCode()).isZero();
        Path data = state.resolve("lo.mv.db");
        Files.delete(data);

        LoCli.Result r = lo(state).run(root, "history");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(lines(r)).as("%s", r).hasSize(1);
        assertThat(lines(r).getFirst()).startsWith("error: event store " + data + " is missing, but "
                        + state.resolve("lo.password") + " says it was made")
                .contains("restore it from a backup").contains("mv " + state.resolve("lo.password") + " ");
        assertThat(data).as("no new, empty store in its place").doesNotExist();
    }

    @Test
    void aDamagedStoreFileIsOneLineWithAdvice() throws Exception {
        Path state = root.resolve("state");
        assertThat(lo(state).run(root, "runs").exitCode()).isZero();
        Path data = state.resolve("lo.mv.db");
        byte[] garbage = new byte[20_000];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(data, garbage);

        LoCli.Result r = lo(state).run(root, "history");

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(lines(r)).as("%s", r).hasSize(1);
        assertThat(lines(r).getFirst()).startsWith("error: event store " + data)
                .contains("damaged").contains("restore it from a backup").contains("mv " + data + " ");
        assertThat(Files.readAllBytes(data)).as("left as it was").isEqualTo(garbage);
    }

    /**
     * A real full disk: the state directory on a 4 MB tmpfs, filled up but a few pages. The
     * provision's first write is its project lease: it must end at once, saying the disk is full
     * and naming the file, not wait out the lease for 30 minutes and blame another run. Once space
     * is back, the store opens with its history.
     */
    @Test
    void aFullDiskEndsTheCommandAtOnceWithOneLineAndLosesNothing() throws Exception {
        Path mount = Files.createDirectories(root.resolve("small-disk"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(m.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
                && m.exitValue() == 0, "needs root to mount a tmpfs: " + new String(m.getInputStream().readAllBytes()));
        try {
            Path state = mount.resolve("state");
            LoCli lo = LoCli.forTest("store-full", state).timeoutSeconds(180);
            ProvisionFixture fixture = new ProvisionFixture(lo, root);
            fixture.writeSpec("full.store.test", "lotest-store-full", "10.213.152.0/24", null, null,
                    "http://10.213.152.9:5000");
            fixture.writeSpec("bad.store.test", "lotest-store-bad", "10.213.300.0/24", null, null,
                    "http://10.213.152.9:5000");
            LoCli.Result rejected = lo.run(root, "provision", "bad.store.test");
            assertThat(rejected.exitCode()).as("%s", rejected).isEqualTo(2);

            Path filler = mount.resolve("filler");
            fill(filler);
            Files.writeString(mount.resolve("probe"), "");  // the disk really is full: a new file gets no page
            assertThat(canWritePage(mount.resolve("probe"))).isFalse();
            truncateBy(filler, 8192);  // room for H2's lock file, not for a new chunk of the store

            long start = System.nanoTime();
            LoCli.Result full = lo.run(root, "provision", "full.store.test");
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;

            assertThat(full.exitCode()).as("%s", full).isEqualTo(1);
            List<String> errors = lines(full).stream().filter(l -> l.startsWith("error:")).toList();
            assertThat(errors).as("%s", full).hasSize(1);
            assertThat(errors.getFirst()).contains("event store " + state.resolve("lo.mv.db"))
                    .contains("disk is full").doesNotContain("being changed by");
            assertThat(full.stderr()).as("no driver dump").doesNotContain("at org.h2").doesNotContain("Exception");
            assertThat(seconds).as("seconds to give up (a process start is most of it)").isLessThan(170);

            Files.delete(filler);
            LoCli.Result history = lo.run(root, "history");
            assertThat(history.exitCode()).as("%s", history).isZero();
            assertThat(history.stdout()).as("the rejection recorded before the disk filled").contains("RunRejected");
        } finally {
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    /**
     * {@code lo serve} holds the store open (H2 runs in it); a CLI's append through it fails on the
     * full disk and H2 closes the database inside serve. Meanwhile the health check says DOWN with
     * the cause; once space is back, serve answers again on its own, without a restart.
     */
    @Test
    void loServeReportsTheStoreDownOnAFullDiskAndRecoversOnItsOwn() throws Exception {
        Path mount = Files.createDirectories(root.resolve("small-disk-serve"));
        Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(m.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)
                && m.exitValue() == 0, "needs root to mount a tmpfs");
        Process serve = null;
        try {
            Path state = mount.resolve("state");
            LoCli lo = LoCli.forTest("store-serve", state).timeoutSeconds(180);
            assertThat(lo.run(root, "runs").exitCode()).isZero();
            // 3,000 spec errors: a rejection of ~100 KB, more than H2 finds free inside its file
            SpecBuilder spec = SpecBuilder.named("lotest-store-serve").network("lotest-store-serve", "10.213.155.0/24")
                    .shared(false).mirrors();
            for (int i = 0; i < 3_000; i++) {
                spec.mirror("m" + i, "not a url " + i);
            }
            new ProvisionFixture(lo, root).write("bad.serve.test", spec);
            int port;
            try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Path log = root.resolve("serve.log");
            ProcessBuilder pb = new ProcessBuilder(LoCli.checkoutRoot().resolve("deploy/lo").toString(), "serve", "--port",
                    Integer.toString(port)).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("LO_STATE_DIR", state.toString());
            pb.environment().remove("LO_SERVE_TOKEN");
            serve = pb.start();
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (!Files.readString(log).contains("listening on")) {
                assertThat(serve.isAlive()).as("serve running: %s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("serve started within 180 s").isLessThan(deadline);
                Thread.sleep(500);
            }
            var http = java.net.http.HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port;
            assertThat(get(http, base + "/q/health/ready").statusCode()).isEqualTo(200);

            Path filler = mount.resolve("filler");
            fill(filler);
            LoCli.Result failed = null;
            for (int i = 0; i < 5 && failed == null; i++) {
                LoCli.Result r = lo.run(root, "provision", "bad.serve.test");
                if (r.exitCode() == 1) {
                    failed = r;
                }
            }
            assertThat(failed).as("an append failed on the full disk").isNotNull();
            assertThat(failed.stderr()).contains("event store " + state.resolve("lo.mv.db"));

            // H2 closed the database inside serve: the first look at the store says so, with the cause
            var down = get(http, base + "/q/health/ready");
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.body()).contains("event-store").contains("DOWN").contains("disk is full");

            Files.delete(filler);
            int code = 0;
            long until = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < until && (code = get(http, base + "/api/runs").statusCode()) != 200) {
                get(http, base + "/q/health/ready");
                Thread.sleep(1000);
            }
            assertThat(code).as("serve answers again once space is back, without a restart").isEqualTo(200);
            var up = get(http, base + "/q/health/ready");
            assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        } finally {
            if (serve != null) {
                serve.destroy();
                if (!serve.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    serve.destroyForcibly();
                }
            }
            new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    static java.net.http.HttpResponse<String> get(java.net.http.HttpClient http, String url) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .timeout(java.time.Duration.ofSeconds(30)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    static void fill(Path file) throws IOException {
        byte[] page = new byte[4096];
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                out.write(page);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }

    static boolean canWritePage(Path file) {
        try {
            Files.write(file, new byte[4096]);
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    static void truncateBy(Path file, long bytes) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, ch.size() / 4096 * 4096 - bytes));
        }
    }

    static FileTime modified(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Commands that will use the store open it early, beside picocli's model and the spec
     * (cli/EarlyStoreOpen); one that never uses it does not open it at all: H2 would make and remove
     * its lock file (the directory changes) and mark the file closed (the file changes).
     */
    @Test
    void aCommandThatNeverUsesTheStoreDoesNotOpenIt() throws Exception {
        Path state = root.resolve("state");
        assertThat(lo(state).run(root, "runs").exitCode()).isZero();
        Path data = state.resolve("lo.mv.db");
        FileTime dir = modified(state);
        FileTime file = modified(data);
        Thread.sleep(20);

        LoCli.Result r = lo(state).run(root, "completion", "bash");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(modified(state)).as("no lock file made and removed").isEqualTo(dir);
        assertThat(modified(data)).isEqualTo(file);
        assertThat(lo(state).run(root, "runs").exitCode()).isZero();
        assertThat(modified(state)).as("a command that uses the store opens it").isNotEqualTo(dir);
    }

    /**
     * A command that opened the store early and then failed before it used it (a spec it refuses)
     * says exactly what it says without a store, and leaves nothing open behind.
     */
    @Test
    void aCommandThatFailsBeforeItUsesTheStoreLeavesNothingOpen() throws Exception {
        Path state = root.resolve("state");
        assertThat(lo(state).run(root, "runs").exitCode()).isZero();
        Path project = Files.createDirectories(root.resolve("project"));
        new ProvisionFixture(lo(state), project).writeSpec("bad.store.test", "lotest-store-early", "10.213.300.0/24",
                null, null, "http://10.213.152.9:5000");
        String data = Files.readString(state.resolve("machine-id"));

        LoCli.Result withStore = lo(state).run(project, "registry", "status", "bad.store.test");
        Path none = root.resolve("no-store");
        LoCli.Result withoutStore = lo(none).run(project, "registry", "status", "bad.store.test");

        assertThat(withStore.exitCode()).as("%s", withStore).isEqualTo(2).isEqualTo(withoutStore.exitCode());
        assertThat(withStore.stderr()).isEqualTo(withoutStore.stderr());
        assertThat(withStore.stdout()).isEqualTo(withoutStore.stdout());
        assertThat(none).as("the command did not reach the store").doesNotExist();
        assertThat(state.resolve("lo.lock.db")).as("the early open was closed").doesNotExist();
        assertThat(Files.readString(state.resolve("machine-id"))).isEqualTo(data);
    }

    @Test
    void aStateDirectoryWithASemicolonIsRefusedBeforeItReachesTheUrl() {
        Path state = root.resolve("x;INIT=RUNSCRIPT FROM 'x'");
        LoCli.Result r = lo(state).run(root, "history");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
        assertThat(lines(r)).as("%s", r).hasSize(1);
        assertThat(lines(r).getFirst()).startsWith("error: state directory").contains("LO_STATE_DIR").contains("';'");
        assertThat(state).doesNotExist();
        assertThat(root.resolve("x")).doesNotExist();
    }
}
