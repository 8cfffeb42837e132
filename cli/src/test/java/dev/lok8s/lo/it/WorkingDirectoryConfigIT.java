package dev.lok8s.lo.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * lo's behaviour does not depend on unrelated files in the directory it runs in: a project's
 * {@code .env} or {@code config/application.properties} (both read by a stock Quarkus app) change
 * neither its logging nor its settings. Real processes: the packaged jar and the launcher deploy/lo.
 * No Docker needed.
 */
class WorkingDirectoryConfigIT {

    static Path temp;
    static Path state;
    static Path elsewhere;
    static LoCli lo;

    @BeforeAll
    static void setUp() throws IOException {
        temp = Files.createTempDirectory("lo-cwd-config-");
        state = temp.resolve("state");
        elsewhere = temp.resolve("state-from-cwd-file");
        lo = LoCli.forTest("cwd-config", state);
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (Stream<Path> walk = Files.walk(temp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void theEnvironmentStillCounts() throws IOException {
        // Control: the same setting from the real environment does turn on debug logging, so the
        // assertions below can tell the difference.
        Path plain = Files.createDirectories(temp.resolve("plain"));
        LoCli.Result r = LoCli.forTest("cwd-config", state).env("QUARKUS_LOG_LEVEL", "DEBUG").run(plain, "runs");
        assertThat(r.exitCode()).as("lo runs: %s", r).isZero();
        assertThat(r.stderr()).as("debug logging from the environment").contains(" DEBUG [");
    }

    @Test
    void aDotEnvFileInTheWorkingDirectoryIsIgnored() throws IOException {
        Path project = Files.createDirectories(temp.resolve("with-dotenv"));
        Files.writeString(project.resolve(".env"), """
                QUARKUS_LOG_LEVEL=DEBUG
                LO_STATE_DIR=%s
                """.formatted(elsewhere));

        LoCli.Result r = lo.run(project, "runs");

        assertThat(r.exitCode()).as("lo runs beside a .env: %s", r).isZero();
        assertThat(r.stderr()).as("no logging change from .env").isEmpty();
        assertThat(elsewhere).as("store location not taken from .env").doesNotExist();
        assertThat(state).as("store where the environment says").isDirectory();
    }

    @Test
    void aConfigDirectoryInTheWorkingDirectoryIsIgnored() throws IOException {
        Path project = Files.createDirectories(temp.resolve("with-config-dir"));
        Files.createDirectories(project.resolve("config"));
        Files.writeString(project.resolve("config/application.properties"), """
                quarkus.log.level=DEBUG
                lo.state-dir=%s
                """.formatted(elsewhere));

        LoCli.Result r = lo.run(project, "runs");

        assertThat(r.exitCode()).as("lo runs beside config/application.properties: %s", r).isZero();
        assertThat(r.stderr()).as("no logging change, and no warning about the user's own file").isEmpty();
        assertThat(elsewhere).as("store location not taken from config/").doesNotExist();
    }

    @Test
    void theLauncherIgnoresThemToo() throws Exception {
        Path project = Files.createDirectories(temp.resolve("launcher"));
        Files.createDirectories(project.resolve("config"));
        Files.writeString(project.resolve(".env"), "QUARKUS_LOG_LEVEL=DEBUG\n");
        Files.writeString(project.resolve("config/application.properties"), "quarkus.log.level=DEBUG\n");

        ProcessBuilder pb = new ProcessBuilder(LoCli.checkoutRoot().resolve("deploy/lo").toString(), "history",
                "--limit", "1").directory(project.toFile());
        pb.environment().put("LO_STATE_DIR", state.toString());
        pb.environment().remove("QUARKUS_LOG_LEVEL");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path err = temp.resolve("launcher.err");
        Process p = pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("deploy/lo history did not finish within 120 s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("deploy/lo history: %s", stderr).isZero();
        assertThat(stderr).as("no logging change through the launcher").isEmpty();
    }
}
