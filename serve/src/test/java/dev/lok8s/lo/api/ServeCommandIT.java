package dev.lok8s.lo.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lo serve} as a real process through the launcher deploy/lo: it starts on loopback, answers,
 * leaves the other commands working, refuses what it must, and stops cleanly on SIGTERM.
 * No Docker needed.
 */
class ServeCommandIT {

    /** The repository root (failsafe runs in serve/): the launcher runs both builds from there. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path LAUNCHER = ROOT.resolve("deploy/lo");
    static Path state;

    @BeforeAll
    static void store() throws IOException {
        state = Files.createTempDirectory("lo-serve-it-");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        try (var walk = Files.walk(state)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void servesOnLoopbackWhileOtherCommandsRunAndStopsOnSigterm() throws Exception {
        int port = freePort();
        Path err = state.resolve("serve.err");
        Process serve = launcher(List.of("serve", "--port", Integer.toString(port)), Map.of())
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String banner = "lo serve: listening on http://127.0.0.1:" + port + " (loopback only, no token required)";
            waitFor(() -> Files.readString(err).contains(banner), Duration.ofSeconds(60), serve, err);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> runs = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/runs")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(runs.statusCode()).as(runs.body()).isEqualTo(200);
            assertThat(runs.body()).isEqualTo("[]");
            assertThat(Files.readString(err)).as("the page's address")
                    .contains("lo serve: page http://127.0.0.1:" + port + "/\n");
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script type=\"module\" src=\"/page/app.js\"></script>");
            assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(PageAssets.CONTENT_SECURITY_POLICY);

            Result history = run(List.of("history", "--limit", "1"), Map.of());
            assertThat(history.code).as("lo history while lo serve runs: " + history.err).isZero();
            Result second = run(List.of("runs"), Map.of());
            assertThat(second.code).as("a CLI command opens no port: " + second.err).isZero();
        } finally {
            serve.destroy(); // SIGTERM
        }
        assertThat(serve.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s of SIGTERM").isTrue();
        assertThat(serve.exitValue()).as("SIGTERM: exit 0 from waitForExit, or 143 from the JVM's own signal exit")
                .isIn(0, 143);
        assertThat(Files.readString(err)).as("a clean stop: no stack trace").doesNotContain("Exception")
                .doesNotContain("\tat ");
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the port is free again").isEqualTo(port);
        }
    }

    @Test
    void refusesANonLoopbackHostWithoutAToken() throws Exception {
        Result r = run(List.of("serve", "--host", "0.0.0.0", "--port", Integer.toString(freePort())), Map.of());
        assertThat(r.code).as(r.err).isEqualTo(2);
        assertThat(r.err.strip()).as("one line naming the fix")
                .isEqualTo("error: --host 0.0.0.0 is not loopback: set LO_SERVE_TOKEN (clients then send"
                        + " Authorization: Bearer <token>), or listen on 127.0.0.1");
    }

    @Test
    void refusesAWeakToken() throws Exception {
        Result r = run(List.of("serve", "--port", Integer.toString(freePort())), Map.of("LO_SERVE_TOKEN", "x"));
        assertThat(r.code).as(r.err).isEqualTo(2);
        assertThat(r.err.strip()).as("one line naming the setting and the fix").doesNotContain("\n")
                .startsWith("error: LO_SERVE_TOKEN (lo.serve.token) has 1 characters; use at least 32");
        Result offLoopback = run(List.of("serve", "--host", "0.0.0.0", "--port", Integer.toString(freePort())),
                Map.of("LO_SERVE_TOKEN", "short-but-not-one-character"));
        assertThat(offLoopback.code).as(offLoopback.err).isEqualTo(2);
        assertThat(offLoopback.err).contains("use at least 32");
        Result predictable = run(List.of("serve", "--host", "0.0.0.0", "--port", Integer.toString(freePort())),
                Map.of("LO_SERVE_TOKEN", "a".repeat(32)));
        assertThat(predictable.code).as(predictable.err).isEqualTo(2);
        assertThat(predictable.err.strip()).as("one line saying how to make a good one").doesNotContain("\n")
                .startsWith("error: LO_SERVE_TOKEN (lo.serve.token) is too easy to guess")
                .contains("openssl rand -hex 32");
    }

    @Test
    void theCommandLineBuildPointsToTheServiceBuild() throws Exception {
        Path jar = ROOT.resolve("cli/target/quarkus-app/quarkus-run.jar");
        ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toString(), "serve");
        pb.environment().put("LO_STATE_DIR", state.toString());
        pb.environment().remove("LO_SERVE_TOKEN");
        Result r = finish(pb.start());
        assertThat(r.code).as(r.err).isEqualTo(2);
        assertThat(r.err.strip()).as("one line saying how to start it").doesNotContain("\n")
                .startsWith("error: lo serve runs from lo's service build").contains("deploy/lo serve")
                .contains("serve/target/quarkus-app/quarkus-run.jar serve");
    }

    @Test
    void helpPrintsUsageWithoutTakingThePort() throws Exception {
        // The port is held by someone else: usage must not depend on binding it.
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            for (String flag : List.of("--help", "-h")) {
                Result r = run(List.of("serve", "--port", port, flag), Map.of());
                assertThat(r.code).as("lo serve %s while port %s is taken: %s", flag, port, r.err).isZero();
                assertThat(r.out).as("usage").startsWith("Usage: lo serve");
                assertThat(r.err).as("nothing bound, nothing logged").isEmpty();
            }
        }
    }

    // ---- helpers

    record Result(int code, String out, String err) {
    }

    private static ProcessBuilder launcher(List<String> args, Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(LAUNCHER.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        pb.environment().put("LO_STATE_DIR", state.toString());
        pb.environment().remove("LO_SERVE_TOKEN");
        pb.environment().putAll(env);
        return pb;
    }

    private static Result run(List<String> args, Map<String, String> env) throws Exception {
        return finish(launcher(args, env).start());
    }

    private static Result finish(Process p) throws Exception {
        var out = p.getInputStream();
        var err = p.getErrorStream();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lo did not finish within 120 s");
        }
        return new Result(p.exitValue(), new String(out.readAllBytes()), new String(err.readAllBytes()));
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check, Duration timeout, Process process, Path log) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (check.ok()) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("lo serve exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("lo serve not ready within " + timeout + ": " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
