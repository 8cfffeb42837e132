package dev.lok8s.lo.cli;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.TempStore;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text from outside reaches the terminal escaped, on every path that echoes it: bad option values in
 * errors, an unknown option, a run id that matches nothing, what a run recorded, the next-page hint.
 * Each input carries ESC and BEL (a title change, a screen clear).
 */
@QuarkusMainTest
@TestProfile(ControlCharactersTest.StateDir.class)
class ControlCharactersTest {

    static final Path DIR = Path.of("target", "lo-control-characters-store").toAbsolutePath();
    static final UUID RUN = UUID.fromString("6f6f6f6f-1111-4222-8333-444455556666");
    /** Sets the terminal's title, rings, clears the screen. */
    static final String HOSTILE = "x\u001b]0;owned\u0007\u001b[2Jy";
    static final String SHOWN = "x\\u001b]0;owned\\u0007\\u001b[2Jy";

    public static class StateDir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lo.state-dir", DIR.toString());
        }
    }

    @BeforeAll
    static void seed() throws Exception {
        TempStore.deleteTree(DIR);
        TempStore temp = TempStore.at(DIR);
        String domain = "d" + HOSTILE;
        EventMetadata meta = EventMetadata.local(RUN, "lo provision " + domain, "test");
        temp.eventStore().append("run-" + RUN, ExpectedVersion.NO_STREAM, List.of(
                new RunStarted(RUN, "provision" + HOSTILE, domain, "p" + HOSTILE, "h", 7, "host" + HOSTILE),
                new StepCompleted(RUN, domain, "p" + HOSTILE, "network:" + HOSTILE, StepOutcome.created, 5),
                new RunFailed(RUN, domain, "p" + HOSTILE, "registry:" + HOSTILE, "boom " + HOSTILE)), meta);
        temp.eventStore().append("project-p", ExpectedVersion.ANY, List.of(
                new NetworkCreated(domain, "p", "n1", "10.213.250.0/24", Scope.PROJECT),
                new NetworkCreated(domain, "p", "n2", "10.213.251.0/24", Scope.PROJECT)), meta);
        temp.closeKeepingFiles();
    }

    private static void assertEscaped(String text) {
        assertThat(text).as("printed text").doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void badHistoryOptionsAreEchoedEscaped(QuarkusMainLauncher launcher) {
        for (String option : List.of("--host", "--limit", "--since", "--until", "--before", "--run")) {
            LaunchResult bad = launcher.launch("history", option, HOSTILE);
            assertThat(bad.exitCode()).as(option).isEqualTo(2);
            assertEscaped(bad.getErrorOutput());
            assertThat(bad.getErrorOutput()).as(option).startsWith("error: " + option + ": ").contains(SHOWN);
        }
    }

    @Test
    void anUnknownOptionIsEchoedEscaped(QuarkusMainLauncher launcher) {
        LaunchResult bad = launcher.launch("history", "--bad" + HOSTILE);
        assertThat(bad.exitCode()).isEqualTo(2);
        assertEscaped(bad.getErrorOutput());
        assertThat(bad.getErrorOutput()).startsWith("Unknown option: '--bad" + SHOWN + "'").contains("Usage: lo history");
    }

    @Test
    void runsShowEscapesTheIdItWasGivenAndWhatTheRunRecorded(QuarkusMainLauncher launcher) {
        LaunchResult none = launcher.launch("runs", "show", "ab" + HOSTILE);
        assertThat(none.exitCode()).isEqualTo(2);
        assertEscaped(none.getErrorOutput());
        assertThat(none.getErrorOutput().strip()).isEqualTo("error: no run matches 'ab" + SHOWN + "'");

        LaunchResult shown = launcher.launch("runs", "show", "6f6f6f6f");
        assertThat(shown.exitCode()).as(shown.getErrorOutput()).isZero();
        assertEscaped(shown.getOutput());
        assertThat(shown.getOutput()).contains("command  provision" + SHOWN + "  (d" + SHOWN + ", project p" + SHOWN + ")")
                .contains("status   failed at step registry:" + SHOWN).contains("pid 7@host" + SHOWN)
                .contains("network:" + SHOWN).contains("error    boom " + SHOWN);

        LaunchResult list = launcher.launch("runs");
        assertThat(list.exitCode()).isZero();
        assertEscaped(list.getOutput());
        assertThat(list.getOutput()).contains("d" + SHOWN + "  provision" + SHOWN + "  on host" + SHOWN);
    }

    @Test
    void theNextPageHintEchoesTheOptionsEscaped(QuarkusMainLauncher launcher) {
        LaunchResult page = launcher.launch("history", "--domain", "d" + HOSTILE, "--limit", "1");
        assertThat(page.exitCode()).as(page.getErrorOutput()).isZero();
        assertEscaped(page.getOutput());
        assertEscaped(page.getErrorOutput());
        assertThat(page.getErrorOutput()).contains("next: lo history --domain d" + SHOWN + " --limit 1 --before ");
    }
}
