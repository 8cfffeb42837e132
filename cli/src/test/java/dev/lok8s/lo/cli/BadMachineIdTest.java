package dev.lok8s.lo.cli;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A machine-id file holding control characters is named in one escaped line, not echoed raw. */
@QuarkusMainTest
@TestProfile(BadMachineIdTest.StateDir.class)
class BadMachineIdTest {

    static final Path DIR = Path.of("target", "lo-bad-machine-id").toAbsolutePath();

    public static class StateDir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lo.state-dir", DIR.toString());
        }
    }

    @BeforeAll
    static void writeIt() throws Exception {
        Files.createDirectories(DIR);
        Files.setPosixFilePermissions(DIR, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.writeString(DIR.resolve("machine-id"), "ab\u001b]0;owned\u0007\u001b[2Jcd\n", StandardCharsets.US_ASCII);
    }

    @Test
    void theBadIdIsShownEscaped(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("history");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.getErrorOutput()).doesNotContain("\u001b").doesNotContain("\u0007")
                .contains("does not hold a UUID ('ab\\u001b]0;owned\\u0007\\u001b[2Jcd')");
    }
}
