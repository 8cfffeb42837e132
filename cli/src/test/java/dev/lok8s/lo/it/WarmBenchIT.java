package dev.lok8s.lo.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bench/warm-bench.sh --smoke}: the warm benchmark itself keeps working (it broke once, silently,
 * when the build moved). One round with a 3 MB image: lo, skopeo and the curl floor each fetch it through
 * an empty mirror, and the table of medians comes out. No time is asserted; numbers live in
 * docs/benchmarks.md. The bench labels what it makes {@code dev.lok8s.test=bench-warm} and removes it;
 * the cleanup here catches what an interrupted run left.
 */
class WarmBenchIT {

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest("bench-warm");

    static final Pattern ROW = Pattern.compile("\\| (.+) \\| ([0-9]+\\.[0-9]{2}) \\| [0-9. ]+ \\| ([0-9]+\\.[0-9]{2})x "
            + "\\| ([0-9]+\\.[0-9]{2})x \\|");

    @Test
    void theSmokeRunPrintsLoSkopeoAndTheFloorSideBySide() throws Exception {
        Path checkout = LoCli.checkoutRoot();
        Path out = Files.createTempFile("warm-bench", ".out");
        Process bench = new ProcessBuilder(checkout.resolve("bench/warm-bench.sh").toString(), "--smoke")
                .directory(checkout.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        try {
            boolean ended = bench.waitFor(8, TimeUnit.MINUTES);
            if (!ended) {
                bench.descendants().forEach(ProcessHandle::destroy);
                bench.destroy();
                bench.waitFor(30, TimeUnit.SECONDS);
            }
            String printed = read(out);
            assertThat(ended).as("the smoke bench ends within 8 minutes:\n%s", printed).isTrue();
            assertThat(bench.exitValue()).as("bench/warm-bench.sh --smoke\n%s", printed).isZero();

            List<String> rows = printed.lines().filter(l -> ROW.matcher(l).matches()).toList();
            assertThat(printed).contains("| through an empty mirror, 3 MB image | median of 1 (s) |");
            assertThat(rows).as("one row per tool, each with its time and its ratios:\n%s", printed).hasSize(3);
            assertThat(rows.get(0)).contains("`lo registry warm`");
            assertThat(rows.get(1)).contains("`skopeo copy`").contains("| 1.00x |");
            assertThat(rows.get(2)).contains("curl floor").endsWith("| 1.00x |");
        } finally {
            bench.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    @Test
    void theLauncherGivesWarmAloneFullTieredCompilation() throws Exception {
        assertThat(jvmFlags("registry", "warm", "--help")).as("lo registry warm").doesNotContain("TieredStopAtLevel");
        assertThat(jvmFlags("registry", "-h", "warm")).as("an option between the words")
                .doesNotContain("TieredStopAtLevel");
        assertThat(jvmFlags("registry", "usage", "--help")).as("another registry command")
                .contains("-XX:TieredStopAtLevel=1");
        assertThat(jvmFlags("runs", "--help")).contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void commandsInlineLessInC1AndWarmKeepsTheDefault() throws Exception {
        assertThat(jvmFlags("runs", "--help")).as("a command").contains("-XX:C1MaxInlineSize=16");
        assertThat(jvmFlags("registry", "usage", "--help")).as("another registry command")
                .contains("-XX:C1MaxInlineSize=16");
        assertThat(jvmFlags("registry", "warm", "--help")).as("lo registry warm").doesNotContain("C1MaxInlineSize");
    }

    /** The flags the JVM that deploy/lo starts was given (-XX:+PrintCommandLineFlags, its first line). */
    static String jvmFlags(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(LoCli.checkoutRoot().resolve("deploy/lo").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LO_JAVA_OPTS", "-XX:+PrintCommandLineFlags");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("deploy/lo %s", String.join(" ", args)).isTrue();
        return out.lines().filter(l -> l.startsWith("-XX:")).findFirst().orElseThrow(
                () -> new AssertionError("no flags printed by deploy/lo " + String.join(" ", args) + ":\n" + out));
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
