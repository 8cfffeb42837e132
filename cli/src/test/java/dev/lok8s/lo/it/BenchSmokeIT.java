package dev.lok8s.lo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks still run: {@code bench/startup-bench.sh --smoke} and {@code bench/provision-bench.sh
 * --smoke} (one round each, minimal) against the packaged lo, and each prints its table with lo's rows
 * and its floors. Checks only that they run and report, never a time (docs/benchmarks.md has the
 * numbers). The provision bench makes its own upstream, networks and registries (test-only names,
 * 10.213.90-93.0/24, labels {@code dev.lok8s.test=bench} and {@code bench-upstream}) and removes them.
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

    private static String bench(String script, long timeoutSeconds) throws IOException, InterruptedException {
        Path root = LoCli.checkoutRoot();
        Path log = Files.createTempFile("lo-bench-smoke-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", root.resolve(script).toString(), "--smoke")
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("LO_SKIP_BUILD", "1");
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
