package dev.lok8s.lo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LeaseTakenOver;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunRejected;
import dev.lok8s.lo.events.RunResumed;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** lo runs and lo runs show say that a run was interrupted and resumed, by which process and when. */
@QuarkusMainTest
@TestProfile(RunsResumedOutputTest.StateDir.class)
class RunsResumedOutputTest {

    static final Path DIR = Path.of("target", "lo-runs-resumed-store").toAbsolutePath();
    static final UUID RUN = UUID.fromString("5e5e5e5e-1111-4222-8333-444455556666");
    static final UUID REJECTED = UUID.fromString("7a7a7a7a-1111-4222-8333-444455556666");
    static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ";

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
        EventMetadata meta = EventMetadata.local(RUN, "lo provision resumed.test", "test");
        String stream = "run-" + RUN;
        var store = temp.eventStore();
        store.append(stream, ExpectedVersion.NO_STREAM, List.of(
                new RunStarted(RUN, "provision", "resumed.test", "resumed", "h", 101, "box-a"),
                new StepCompleted(RUN, "resumed.test", "resumed", "check-subnets", StepOutcome.unchanged, 3)), meta);
        store.append(stream, ExpectedVersion.ANY, List.of(
                new RunResumed(RUN, "provision", "resumed.test", "resumed", "h", 202, "box-b", 1),
                new LeaseTakenOver(RUN, "resumed.test", "resumed", RUN, 101, "box-a",
                        Instant.parse("2026-03-04T05:06:07Z")),
                new RunFailed(RUN, "resumed.test", "resumed", "network:n", "boom")), meta);
        store.append(stream, ExpectedVersion.ANY, List.of(
                new RunResumed(RUN, "provision", "resumed.test", "resumed", "h", 303, "box-b", 1),
                new StepCompleted(RUN, "resumed.test", "resumed", "network:n", StepOutcome.created, 5),
                new RunCompleted(RUN, "resumed.test", "resumed", 9)), meta);
        EventMetadata rejectedMeta = EventMetadata.local(REJECTED, "lo provision unsafe.test", "test");
        store.append("run-" + REJECTED, ExpectedVersion.NO_STREAM, List.of(
                new RunRejected(REJECTED, "unsafe.test", "unsafe", "provision",
                        "error: network 'n\u001b[31m' is red\nfix: rename it")), rejectedMeta);
        temp.closeKeepingFiles();
    }

    /** Errors hold what users wrote: a listing shows the error's first line, escaped; show shows each line. */
    @Test
    void errorsAreShownOneSafeLineAtATime(QuarkusMainLauncher launcher) {
        LaunchResult list = launcher.launch("runs", "unsafe.test");
        assertThat(list.exitCode()).as(list.getErrorOutput()).isZero();
        assertThat(list.getOutput()).as("lo runs").matches("7a7a7a7a  " + TIME + "  rejected    unsafe.test  provision  on \\S+"
                + "  \\(error: network 'n\\\\u001b\\[31m' is red \\.\\.\\.\\)");

        LaunchResult show = launcher.launch("runs", "show", REJECTED.toString());
        assertThat(show.exitCode()).as(show.getErrorOutput()).isZero();
        assertThat(show.getOutput()).as("lo runs show")
                .contains("error    error: network 'n\\u001b[31m' is red\n         fix: rename it\n")
                .doesNotContain("\u001b");
    }

    @Test
    void listAndShowTellTheResumptions(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult list = launcher.launch("runs", "resumed.test");
        assertThat(list.exitCode()).as(list.getErrorOutput()).isZero();
        assertThat(list.getOutput()).as("lo runs").matches(
                "5e5e5e5e  " + TIME + "  completed   resumed.test  provision  on box-b  resumed 2x \\(interrupted 1x\\)");

        LaunchResult json = launcher.launch("runs", "resumed.test", "-o", "json");
        assertThat(json.exitCode()).as(json.getErrorOutput()).isZero();
        JsonNode row = new ObjectMapper().readTree(json.getOutput()).get(0);
        assertThat(row.get("resumes").asInt()).as("json resumes").isEqualTo(2);
        assertThat(row.get("interruptions").asInt()).as("json interruptions").isEqualTo(1);

        LaunchResult show = launcher.launch("runs", "show", "5e5e5e5e");
        assertThat(show.exitCode()).as(show.getErrorOutput()).isZero();
        assertThat(show.getOutput()).as("lo runs show")
                .containsPattern("(?m)^status   completed$")
                .containsPattern("(?m)^started  " + TIME + "  pid 101@box-a$")
                .containsPattern("(?m)^resumed  " + TIME + "  pid 202@box-b  after pid 101@box-a was interrupted"
                        + " \\(gone without an end; its lease, held since 2026-03-04T05:06:07Z, taken over\\);"
                        + " 1 step already done$")
                .containsPattern("(?m)^resumed  " + TIME + "  pid 303@box-b  after pid 202@box-b failed at step"
                        + " network:n: boom; 1 step already done$");

        LaunchResult showJson = launcher.launch("runs", "show", "5e5e5e5e", "-o", "json");
        assertThat(showJson.exitCode()).as(showJson.getErrorOutput()).isZero();
        JsonNode detail = new ObjectMapper().readTree(showJson.getOutput());
        assertThat(detail.get("resumptions")).as("json resumptions").hasSize(2);
        JsonNode first = detail.get("resumptions").get(0);
        assertThat(first.get("pid").asLong()).isEqualTo(202);
        assertThat(first.get("host").asText()).isEqualTo("box-b");
        assertThat(first.get("after").asText()).isEqualTo("interrupted");
        assertThat(first.get("previousPid").asLong()).isEqualTo(101);
        assertThat(first.get("leaseTakenOver").asBoolean()).isTrue();
        assertThat(first.get("at").asText()).as("when").matches(TIME.replace("Z", "") + ".*Z");
        assertThat(detail.get("resumptions").get(1).get("after").asText()).isEqualTo("failed");
    }
}
