package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.lok8s.lo.it.TestDocker.docker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry commands against the real Docker Engine, as a user runs them: two projects share
 * mirrors of an upstream registry this test starts on the shared network; status, down/up, doctor,
 * clean, destroy and clean --shared (refused, then forced), each a recorded run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryCommandsIT {

    static final String ID = "rc";
    static final String SHARED = "lotest-rc-registries";
    static final String SHARED_CIDR = "10.213.139.0/24";
    static final String UPSTREAM = "lotest-rc-upstream";
    static final String UPSTREAM_IP = "10.213.139.150";
    static final String A = "rc-a.test";
    static final String B = "rc-b.test";
    static final String NODE_A = "rc-a-control-plane";
    static final String NODE_B = "rc-b-control-plane";
    static final String MIRROR_DOCKER = "lotest-rc-lok8s-registry-io-docker";
    static final String MIRROR_QUAY = "lotest-rc-lok8s-registry-io-quay";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path state;
    @TempDir
    static Path work;

    LoCli lo;

    @BeforeAll
    void setUp() throws Exception {
        lo = LoCli.forTest(ID, state);
        writeSpec(A, "rc-a", "lotest-rc-a", "10.213.130.0/24");
        writeSpec(B, "rc-b", "lotest-rc-b", "10.213.131.0/24");
        // The shared network exists first, with lo's labels, so lo adopts it and the upstream can sit on it.
        docker("network", "create", "--subnet", SHARED_CIDR, "--gateway", "10.213.139.1",
                "--ip-range", "10.213.139.192/26", "--label", "dev.lok8s.managed-by=lo",
                "--label", "dev.lok8s.role=network", "--label", "dev.lok8s.scope=shared",
                "--label", "dev.lok8s.test=" + ID, SHARED);
        docker("run", "-d", "--name", UPSTREAM, "--label", "dev.lok8s.test=" + ID, "--network", SHARED,
                "--ip", UPSTREAM_IP, LoCli.REGISTRY_IMAGE);
    }

    private void writeSpec(String domain, String name, String network, String cidr) {
        SpecBuilder.named(name).network(network, cidr).shared(true).sharedNetwork(SHARED, SHARED_CIDR)
                .mirrors("io-docker", "http://" + UPSTREAM_IP + ":5000", "io-quay", "http://" + UPSTREAM_IP + ":5000")
                .writeProject(work, domain);
    }

    private LoCli.Result lo(String... args) {
        return lo.run(work, args);
    }

    private JsonNode status(String domain) throws Exception {
        LoCli.Result result = lo("registry", "status", domain, "-o", "json");
        assertThat(result.exitCode()).as("registry status exit code\n%s", result).isZero();
        return JSON.readTree(result.stdout());
    }

    private static JsonNode registry(JsonNode status, String container) {
        List<JsonNode> all = new ArrayList<>();
        status.get("shared").forEach(all::add);
        status.get("projectRegistries").forEach(all::add);
        return all.stream().filter(r -> r.get("container").asText().equals(container)).findFirst()
                .orElseThrow(() -> new AssertionError("no registry " + container + " in " + status));
    }

    private static boolean exists(String container) {
        return TestDocker.exec("container", "inspect", container).code() == 0;
    }

    private static boolean volumeExists(String volume) {
        return TestDocker.exec("volume", "inspect", volume).code() == 0;
    }

    private static String networksOf(String container) {
        return docker("inspect", container, "--format",
                "{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}");
    }

    @Test
    @Order(1)
    void statusShowsEveryRegistryRunningAndReachableAtItsAddress() throws Exception {
        LoCli.Result a = lo("provision", A);
        assertThat(a.exitCode()).as("provision A\n%s", a).isZero();
        LoCli.Result b = lo("provision", B);
        assertThat(b.exitCode()).as("provision B\n%s", b).isZero();

        JsonNode status = status(A);
        Map<String, String> expected = Map.of(
                MIRROR_DOCKER, "10.213.139.2",
                MIRROR_QUAY, "10.213.139.3",
                "lotest-rc-a-registry-build", "10.213.130.101",
                "lotest-rc-a-registry-cache", "10.213.130.102");
        expected.forEach((container, ip) -> {
            JsonNode r = registry(status, container);
            assertThat(r.get("ip").asText()).as("%s planned ip", container).isEqualTo(ip);
            assertThat(r.get("actualIp").asText()).as("%s actual ip", container).isEqualTo(ip);
            assertThat(r.get("state").asText()).as("%s state", container).isEqualTo("running");
            assertThat(r.get("display").asText()).as("%s display", container).isEqualTo("Running");
            assertThat(r.get("reachable").asBoolean()).as("%s reachable (%s)", container, r.get("probeError"))
                    .isTrue();
            assertThat(r.get("catalogUrl").asText()).as("%s catalog", container)
                    .isEqualTo("http://" + ip + "/v2/_catalog");
        });
        assertThat(status.get("shared")).as("shared mirrors").hasSize(2);
        assertThat(status.get("projectRegistries")).as("project registries").hasSize(2);
        assertThat(registry(status, MIRROR_DOCKER).get("usedBy").toString()).as("projects using the shared mirror")
                .contains("\"rc-a\"", "\"rc-b\"");
        assertThat(status.get("drift")).as("drift").isEmpty();

        LoCli.Result text = lo("registry", "status", A);
        assertThat(text.stdout()).as("text layout\n%s", text)
                .contains("Shared mirrors (" + SHARED + " network):\n  " + MIRROR_DOCKER)
                .contains("Per-project registries (lotest-rc-a network, slot 130):\n  lotest-rc-a-registry-build")
                .containsPattern("lotest-rc-a-registry-build +10\\.213\\.130\\.101 +Running +reachable +"
                        + "http://10\\.213\\.130\\.101/v2/_catalog");
    }

    @Test
    @Order(2)
    void downStopsTheProjectsRegistriesAndUpStartsThemAgain() throws Exception {
        LoCli.Result down = lo("registry", "down", A);
        assertThat(down.exitCode()).as("registry down\n%s", down).isZero();
        JsonNode stopped = status(A);
        for (String c : List.of("lotest-rc-a-registry-build", "lotest-rc-a-registry-cache")) {
            assertThat(registry(stopped, c).get("display").asText()).as("%s after down", c).isEqualTo("Stopped");
            assertThat(registry(stopped, c).get("loggedState").asText()).as("%s in the log", c).isEqualTo("stopped");
        }
        assertThat(registry(stopped, MIRROR_DOCKER).get("state").asText()).as("shared mirror untouched")
                .isEqualTo("running");
        assertThat(docker("inspect", NODE_A, "--format", "{{.State.Status}}")).as("cluster untouched")
                .isEqualTo("running");

        LoCli.Result up = lo("registry", "up", A);
        assertThat(up.exitCode()).as("registry up\n%s", up).isZero();
        JsonNode running = status(A);
        for (String c : List.of("lotest-rc-a-registry-build", "lotest-rc-a-registry-cache")) {
            assertThat(registry(running, c).get("state").asText()).as("%s after up", c).isEqualTo("running");
            assertThat(registry(running, c).get("reachable").asBoolean()).as("%s reachable after up", c).isTrue();
            assertThat(registry(running, c).get("loggedState").asText()).as("%s in the log", c).isEqualTo("running");
        }
    }

    @Test
    @Order(3)
    void doctorFindsANodeOffTheSharedNetworkAndPrintsTheFix() {
        LoCli.Result healthy = lo("doctor", A);
        assertThat(healthy.exitCode()).as("doctor on a healthy project\n%s", healthy).isZero();

        docker("network", "disconnect", SHARED, NODE_A);
        LoCli.Result sick = lo("doctor", A);
        assertThat(sick.exitCode()).as("doctor with a node off the shared network\n%s", sick).isEqualTo(1);
        assertThat(sick.stdout()).as("finding and fix\n%s", sick)
                .contains("kind node " + NODE_A + " is not connected to network '" + SHARED + "'")
                .contains("fix: docker network connect " + SHARED + " " + NODE_A);

        docker("network", "connect", SHARED, NODE_A);
        LoCli.Result again = lo("doctor", A);
        assertThat(again.exitCode()).as("doctor after the printed fix\n%s", again).isZero();
    }

    @Test
    @Order(4)
    void cleanRemovesBuildAndCacheWithTheirVolumesAndLeavesTheMirrors() throws Exception {
        LoCli.Result clean = lo("registry", "clean", A);
        assertThat(clean.exitCode()).as("registry clean\n%s", clean).isZero();
        for (String c : List.of("lotest-rc-a-registry-build", "lotest-rc-a-registry-cache")) {
            assertThat(exists(c)).as("%s removed", c).isFalse();
            assertThat(volumeExists("lotest-rc-" + c + "-data")).as("volume of %s removed", c).isFalse();
        }
        assertThat(exists(MIRROR_DOCKER) && exists(MIRROR_QUAY)).as("shared mirrors stay").isTrue();
        assertThat(exists("lotest-rc-b-registry-build")).as("the other project's build stays").isTrue();
        JsonNode status = status(A);
        assertThat(registry(status, "lotest-rc-a-registry-build").get("display").asText()).as("build after clean")
                .isEqualTo("Missing");
        assertThat(status.get("drift")).as("no drift: the log recorded the removal").isEmpty();

        LoCli.Result twice = lo("registry", "clean", A, "-o", "json");
        assertThat(twice.exitCode()).as("clean again is idempotent\n%s", twice).isZero();
        assertThat(JSON.readTree(twice.stdout()).get("steps").toString()).as("every step unchanged")
                .doesNotContain("removed");
    }

    @Test
    @Order(5)
    void destroyRemovesTheClusterAndTheProjectsRegistriesAndLeavesTheSharedMirrors() {
        LoCli.Result destroy = lo("destroy", B);
        assertThat(destroy.exitCode()).as("destroy B\n%s", destroy).isZero();
        assertThat(exists(NODE_B)).as("B's kind node deleted").isFalse();
        for (String c : List.of("lotest-rc-b-registry-build", "lotest-rc-b-registry-cache")) {
            assertThat(exists(c)).as("%s removed", c).isFalse();
            assertThat(volumeExists("lotest-rc-" + c + "-data")).as("volume of %s removed", c).isFalse();
        }
        assertThat(TestDocker.exec("network", "inspect", "lotest-rc-b").code()).as("B's network removed")
                .isNotZero();
        assertThat(docker("inspect", MIRROR_DOCKER, "--format", "{{.State.Status}}")).as("shared mirror stays")
                .isEqualTo("running");
        assertThat(exists(NODE_A)).as("A's node stays").isTrue();
    }

    @Test
    @Order(6)
    void cleanSharedRefusesWhileAnotherProjectsNodeIsAttachedAndForceDisconnectsIt() {
        LoCli.Result refused = lo("registry", "clean", B, "--shared");
        assertThat(refused.exitCode()).as("clean --shared with A's node attached\n%s", refused).isEqualTo(2);
        assertThat(refused.stderr()).as("names the attached node\n%s", refused)
                .contains("node " + NODE_A + " (kind cluster rc-a)").contains("--force");
        assertThat(exists(MIRROR_DOCKER)).as("nothing removed on refusal").isTrue();

        LoCli.Result forced = lo("registry", "clean", B, "--shared", "--force");
        assertThat(forced.exitCode()).as("clean --shared --force\n%s", forced).isZero();
        assertThat(exists(MIRROR_DOCKER) || exists(MIRROR_QUAY)).as("shared mirrors removed").isFalse();
        assertThat(volumeExists("lotest-rc-lok8s-registry-io-docker-data")).as("mirror volume removed").isFalse();
        assertThat(TestDocker.exec("network", "inspect", SHARED).code()).as("shared network removed").isNotZero();
        assertThat(networksOf(NODE_A)).as("A's node was disconnected, not removed").doesNotContain(SHARED)
                .contains("lotest-rc-a");
    }

    @Test
    @Order(7)
    void everyRunShowsInLoRunsWithItsStatus() throws Exception {
        LoCli.Result runs = lo("runs", "-o", "json");
        assertThat(runs.exitCode()).as("lo runs\n%s", runs).isZero();
        List<String> seen = new ArrayList<>();
        JSON.readTree(runs.stdout()).forEach(r -> seen.add(r.get("command").asText() + " " + r.get("domain").asText()
                + " " + r.get("status").asText()));
        assertThat(seen).as("runs, newest first").containsSubsequence(
                "registry clean --shared rc-b.test completed",
                "registry clean --shared rc-b.test rejected",
                "destroy rc-b.test completed",
                "registry clean rc-a.test completed",
                "registry clean rc-a.test completed",
                "registry up rc-a.test completed",
                "registry down rc-a.test completed",
                "provision rc-b.test completed",
                "provision rc-a.test completed");
    }
}
