package dev.lok8s.lo.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.RunStarted;
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

/** The real app, booted by Quarkus, reading a store that LO_STATE_DIR (here lo.state-dir) points at. */
@QuarkusMainTest
@TestProfile(HistoryCommandSmokeTest.TempStateDir.class)
class HistoryCommandSmokeTest {

    static final Path DIR = Path.of("target", "lo-smoke-store").toAbsolutePath();
    static final UUID RUN = UUID.fromString("1a2b3c4d-1111-4222-8333-444455556666");

    public static class TempStateDir implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lo.state-dir", DIR.toString());
        }
    }

    @BeforeAll
    static void seed() throws Exception {
        TempStore.deleteTree(DIR);
        TempStore temp = TempStore.at(DIR);
        EventMetadata meta = EventMetadata.local(RUN, "lo provision lok8s.dev", "test");
        temp.eventStore().append("run-" + RUN, ExpectedVersion.NO_STREAM,
                List.of(new RunStarted(RUN, "provision", "lok8s.dev", "lok8s", "h", 1, "host")), meta);
        temp.eventStore().append("project-lok8s", ExpectedVersion.NO_STREAM,
                List.of(new NetworkCreated("lok8s.dev", "lok8s", "lok8s", "10.125.125.0/24", Scope.PROJECT)),
                meta);
        temp.closeKeepingFiles();
    }

    @Test
    void historyPrintsTheStoredEventsAsJsonNewestFirst(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = launcher.launch("history", "-o", "json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode array = new ObjectMapper().readTree(result.getOutput());
        assertThat(array.size()).isEqualTo(2);
        assertThat(array.get(0).get("position").asLong()).isEqualTo(2);
        assertThat(array.get(0).get("type").asText()).isEqualTo("NetworkCreated");
        assertThat(array.get(0).get("payload").get("cidr").asText()).isEqualTo("10.125.125.0/24");
        assertThat(array.get(0).get("metadata").get("runId").asText()).isEqualTo(RUN.toString());
        assertThat(array.get(1).get("stream").asText()).isEqualTo("run-" + RUN);

        LaunchResult text = launcher.launch("history", "--domain", "lok8s.dev", "--limit", "1");
        assertThat(text.exitCode()).isZero();
        assertThat(text.getOutput()).matches(
                "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  #2  lok8s.dev  NetworkCreated  lok8s 10.125.125.0/24  \\(run 1a2b3c4d\\)  on \\S+");
        assertThat(text.getErrorOutput()).contains("--before 2");

        LaunchResult bad = launcher.launch("history", "--since", "yesterday");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.getErrorOutput().strip()).startsWith("error: --since: 'yesterday'").doesNotContain("\n");
    }
}
