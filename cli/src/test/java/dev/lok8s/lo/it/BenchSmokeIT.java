package dev.lok8s.lo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every script in bench/ still runs: each has a {@code --smoke} mode (one round, minimal sizes) run here
 * against the packaged lo and the test classes, and each prints its table or lines with lo's rows.
 * Checks only that they run and report, never a time (docs/benchmarks.md has the numbers); the warm
 * bench's smoke is {@link WarmBenchIT}. The provision bench makes its own upstream, networks and
 * registries (test-only names, 10.213.90-93.0/24, labels {@code dev.lok8s.test=bench} and
 * {@code bench-upstream}), the docker CLI baseline its own (lobench-smoke-*, 10.213.94-95.0/24, label
 * {@code dev.lok8s.test=bench}); both remove them. The API bench serves on a free loopback port.
 */
class BenchSmokeIT {

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest("bench", "bench-upstream");

    @Test
    void theStartupBenchPrintsItsTable() throws Exception {
        String out = bench("bench/startup-bench.sh", 600);
        assertThat(out).as("the table's header").contains("| what | wall (median) | CPU user+sys | peak RSS |");
        for (String row : List.of("| a plain Java main, AOT cache |", "| lo --help |", "| lo runs (empty store) |",
                "| lo provision --dry-run (sample spec, no Docker) |")) {
            assertThat(out).as("a row of the table").contains(row);
        }
        assertThat(out).as("no case failed").doesNotContain("failed)");
        assertThat(out).as("a measured peak RSS").containsPattern("\\| lo --help \\| [0-9.]+ s \\| [0-9.]+ s \\| [0-9]+ MiB \\|");
    }

    @Test
    void theProvisionBenchPrintsItsTable() throws Exception {
        String out = bench("bench/provision-bench.sh", 900);
        assertThat(out).as("the table's header")
                .contains("| what (1 mirrors) | docker CLI by hand | floor (all at once) | lo, wall | lo, in-process run |");
        assertThat(out).as("cold, with lo's CPU and peak RSS")
                .containsPattern("\\| cold: project network \\+ 3 registries \\| [0-9.]+ s \\| [0-9.]+ s \\| [0-9.]+ s \\| [0-9.]+ s \\| [0-9.]+ \\| [0-9.]+ s \\| [0-9]+ MiB \\|");
        assertThat(out).as("again, status and help rows")
                .contains("| again, everything in place |", "| `lo registry status` |", "| `lo --help` (start-up alone) |");
    }

    @Test
    void theStoreBenchPrintsItsLines() throws Exception {
        String out = bench("bench/store-bench.sh", 300);
        assertThat(out).as("appends").containsPattern("append, 1 event per commit, single writer \\(WRITE_DELAY=0\\): median [0-9]+ events/s");
        assertThat(out).as("rebuild").containsPattern("projection rebuild, 1,000 events: median [0-9.]+ s");
        assertThat(out).as("history in process, both queries")
                .containsPattern("history --domain X --limit 50 over 10,000 events, in process: median [0-9.]+ ms")
                .containsPattern("history --domain X --type CertsDirWritten --limit 50 over 10,000 events, in process: median [0-9.]+ ms");
        assertThat(out).as("history through lo").containsPattern("lo history --domain X --limit 50 via the CLI .*10,000 events: median [0-9]+ ms");
    }

    @Test
    void theMismatchBenchPrintsItsLines() throws Exception {
        String out = bench("bench/mismatch-bench.sh", 300);
        assertThat(out).as("the seed").containsPattern("seeded 401 events \\(100 refusals, 100 projects, half fixed later\\)");
        assertThat(out).as("the report: the 50 projects never fixed")
                .containsPattern("current\\(\\): 50 findings; first [0-9.]+ ms, median [0-9.]+ ms, max [0-9.]+ ms over 3 rounds");
    }

    @Test
    void theApiBenchPrintsItsTable() throws Exception {
        String out = bench("bench/api-bench.sh", 300, Map.of("PORT", Integer.toString(freeLoopbackPort())));
        assertThat(out).as("the table's header").contains("| endpoint | request | req/s | p50 | p99 | errors |");
        for (String row : List.of("history, one domain", "history, domain + type", "history, second page", "runs (status)",
                "projects (status)", "networks (status)")) {
            assertThat(out).as("%s answered, without errors", row).containsPattern("\\| " + java.util.regex.Pattern.quote(row)
                    + " \\| `/api/[^`]+` \\| [0-9.]+ \\| [0-9.]+[mu]?s \\| [0-9.]+[mu]?s \\| none \\|");
        }
    }

    @Test
    void theDockerCliBaselinePrintsItsSteps() throws Exception {
        String out = bench("bench/baseline-docker-cli.sh", 300);
        for (String step : List.of("up", "up again, everything in place", "down", "floor")) {
            assertThat(out).as(step).containsPattern("\\| " + step + " \\| [0-9.]+ s \\|");
        }
    }

    @Test
    void theCommandProfilePrintsItsPhases() throws Exception {
        String out = bench("bench/command-profile.sh", 300);
        assertThat(out).as("the command").contains("command: lo runs");
        for (String phase : List.of("Quarkus start", "picocli model", "command", "store open", "Quarkus stop")) {
            assertThat(out).as("the phase %s was traced", phase).containsPattern("\\| " + phase + " \\| [0-9.]+ s \\| [0-9.]+ s \\|");
        }
        assertThat(out).as("CPU samples by library").containsPattern("\\| H2 \\| [0-9]+% \\|");
    }

    private static int freeLoopbackPort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String bench(String script, long timeoutSeconds) throws IOException, InterruptedException {
        return bench(script, timeoutSeconds, Map.of());
    }

    private static String bench(String script, long timeoutSeconds, Map<String, String> env)
            throws IOException, InterruptedException {
        Path root = LoCli.checkoutRoot();
        Path log = Files.createTempFile("lo-bench-smoke-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", root.resolve(script).toString(), "--smoke")
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("LO_SKIP_BUILD", "1");
            // the in-process benches run from the test classes, on this test's class path (no Maven inside a test)
            pb.environment().put("BENCH_CLASSPATH", System.getProperty("java.class.path"));
            pb.environment().putAll(env);
            Process process = pb.start();
            boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(done).as("%s --smoke finished within %d s:%n%s", script, timeoutSeconds, out).isTrue();
            assertThat(process.exitValue()).as("%s --smoke exit code:%n%s", script, out).isZero();
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
