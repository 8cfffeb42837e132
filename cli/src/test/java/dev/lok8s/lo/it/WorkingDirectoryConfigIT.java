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
    @Test
    void theTeamStoreKeysAsSystemPropertiesAreKnownSettings() throws Exception {
        // lo reads quarkus.datasource.postgresql.* itself (no Quarkus datasource): given with -D, they
        // must not be reported as unrecognized keys, and they must still be read (the store moves).
        Path project = Files.createDirectories(temp.resolve("pg-props"));
        String props = "-Dquarkus.datasource.postgresql.jdbc.url=jdbc:postgresql://127.0.0.1:9/lo?connectTimeout=2"
                + " -Dquarkus.datasource.postgresql.username=lo -Dquarkus.datasource.postgresql.password=secret";
        for (String[] args : new String[][] {{"completion", "bash"}, {"runs"}}) {
            ProcessBuilder pb = new ProcessBuilder(java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(LoCli.checkoutRoot().resolve("deploy/lo").toString()),
                    java.util.stream.Stream.of(args)).toList()).directory(project.toFile());
            pb.environment().put("LO_STATE_DIR", state.toString());
            pb.environment().put("LO_JAVA_OPTS", props);
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            Path err = temp.resolve("pg-props.err");
            Process p = pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("deploy/lo " + String.join(" ", args) + " did not finish within 120 s");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            assertThat(stderr).as("lo %s: no unrecognized-key warning", String.join(" ", args))
                    .doesNotContain("Unrecognized configuration key");
            if (args[0].equals("completion")) {
                assertThat(p.exitValue()).as("lo completion bash: %s", stderr).isZero();
                assertThat(stderr).as("lo completion bash").isEmpty();
            } else {
                assertThat(p.exitValue()).as("lo runs against a server that is not there: %s", stderr).isNotZero();
                assertThat(stderr.strip()).as("one line naming the server from -D").doesNotContain("\n")
                        .startsWith("error:").contains("127.0.0.1:9");
            }
        }
    }
}
