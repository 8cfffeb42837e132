package dev.lok8s.lo.docker;

import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.EngineUnavailableException;
import dev.lok8s.lo.engine.ImageUnavailableException;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.engine.ResourceConflictException;
import dev.lok8s.lo.it.DockerCleanup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DockerEngine} against the real Docker Engine. Everything it makes is named
 * {@code lotest-docker-*}, labelled {@code dev.lok8s.test=docker-adapter}, on 10.213.50.0/24 and
 * 10.213.51.0/24, and removed by that label before and after.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DockerEngineIT {

    static final String TEST_LABEL = "dev.lok8s.test";
    static final String TEST_VALUE = "docker-adapter";
    static final Map<String, String> LABELS = Map.of(TEST_LABEL, TEST_VALUE);
    static final String IMAGE = "lotest-docker/busybox:1";
    static final String NET = "lotest-docker-net";
    static final String NET2 = "lotest-docker-net2";
    static final String SUBNET = "10.213.50.0/24";
    static final String SUBNET2 = "10.213.51.0/24";
    static final String VOLUME = "lotest-docker-vol";
    static final String C1 = "lotest-docker-c1";
    static final String C1_IP = "10.213.50.10";

    /** sh as PID 1 ignores SIGTERM; the trap keeps a stop from waiting out the engine's 10 s grace. */
    static final String SLEEP_UNTIL_STOPPED = "trap 'exit 0' TERM; sleep 300 & wait";

    /** Removes only what carries this test's label, before and after; the image stays for the next run. */
    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(TEST_VALUE);

    static DockerEngine engine;

    @BeforeAll
    static void engineWithImageAndNetworks() throws Exception {
        buildBusyboxImage();
        engine = DockerEngine.fromEnvironment();
        engine.ping();
        engine.createNetwork(new NetworkDefinition(NET, SUBNET, "10.213.50.1", null, LABELS));
        engine.createNetwork(new NetworkDefinition(NET2, SUBNET2, "10.213.51.1", "10.213.51.192/26", LABELS));
    }

    @AfterAll
    static void closeEngine() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    // networks

    @Test
    @Order(1)
    void finds_networks_by_exact_name_only() {
        NetworkInfo net = engine.findNetwork(NET).orElseThrow();
        NetworkInfo net2 = engine.findNetwork(NET2).orElseThrow();

        assertThat(net.name()).isEqualTo(NET);
        assertThat(net.subnet()).as("'%s' is not confused with '%s'", NET, NET2).isEqualTo(SUBNET);
        assertThat(net.labels()).containsEntry(TEST_LABEL, TEST_VALUE);
        assertThat(net2.subnet()).isEqualTo(SUBNET2);
        assertThat(engine.findNetwork("lotest-docker-ne")).as("a prefix is not a name").isEmpty();
    }

    @Test
    @Order(2)
    void creating_an_existing_or_overlapping_network_is_a_conflict() {
        assertThatThrownBy(() -> engine.createNetwork(new NetworkDefinition(NET, SUBNET, "10.213.50.1", null, LABELS)))
                .isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining("network '%s' already exists", NET);
        assertThatThrownBy(() -> engine.createNetwork(new NetworkDefinition("lotest-docker-net3", SUBNET, "10.213.50.1", null, LABELS)))
                .isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining("subnet " + SUBNET)
                .hasMessageContaining("overlaps");
        assertThat(engine.findNetwork("lotest-docker-net3")).isEmpty();
    }

    @Test
    @Order(3)
    void removing_a_missing_network_is_not_an_error() {
        engine.removeNetwork("lotest-docker-net-never-made");
    }

    // volumes

    @Test
    @Order(5)
    void volumes_are_created_idempotently_and_listed_by_label() {
        engine.createVolume(VOLUME, LABELS);
        engine.createVolume(VOLUME, LABELS);

        assertThat(engine.volumeExists(VOLUME)).isTrue();
        assertThat(engine.volumeExists("lotest-docker-vol-never-made")).isFalse();
        assertThat(engine.listVolumes(LABELS)).contains(VOLUME);
        assertThat(engine.listVolumes(Map.of(TEST_LABEL, "someone-else"))).doesNotContain(VOLUME);
    }

    // images

    @Test
    @Order(6)
    void image_presence() {
        assertThat(engine.imagePresent(IMAGE)).isTrue();
        assertThat(engine.imagePresent("lotest-docker/absent:1")).isFalse();
    }

    @Test
    @Order(7)
    void pulling_an_unreachable_image_fails_with_image_unavailable() {
        List<String> progress = new ArrayList<>();
        assertThatThrownBy(() -> engine.pullImage("127.0.0.1:1/nope:1", progress::add))
                .isInstanceOf(ImageUnavailableException.class)
                .hasMessageStartingWith("registry image '127.0.0.1:1/nope:1' is not present and cannot be pulled (")
                .hasMessageEndingWith("build or load it locally, or set LO_REGISTRY_IMAGE / spec.registries.image");
    }

    // containers

    @Test
    @Order(10)
    void runs_a_container_with_fixed_ip_volume_and_copied_files() throws Exception {
        engine.createVolume(VOLUME, LABELS);
        ContainerInfo c1 = engine.runContainer(busybox(C1, C1_IP,
                "cat /etc/x/config.yml; ls -ln /etc/x/tls/server.key /etc/x/config.yml; echo volume-ok > /data/ok; cat /data/ok; "
                        + SLEEP_UNTIL_STOPPED));

        assertThat(c1.name()).isEqualTo(C1);
        assertThat(c1.running()).isTrue();
        assertThat(c1.image()).isEqualTo(IMAGE);
        assertThat(c1.labels()).containsEntry(TEST_LABEL, TEST_VALUE);
        assertThat(c1.networks()).containsExactly(Map.entry(NET, C1_IP));

        String logs = awaitLogs(C1, "volume-ok");
        assertThat(logs).as("the copied-in file, read by the container itself").contains("hello: lo");
        assertThat(logs).as("a .key file is 0600, other files 0644")
                .containsPattern("-rw------- +1 0 +0 .*/etc/x/tls/server.key")
                .containsPattern("-rw-r--r-- +1 0 +0 .*/etc/x/config.yml");
        assertThat(docker("inspect", "-f", "{{.HostConfig.RestartPolicy.Name}} {{range .Mounts}}{{.Name}}:{{.Destination}}{{end}}", C1))
                .isEqualTo("unless-stopped " + VOLUME + ":/data");

        assertThat(engine.findContainer(C1)).hasValueSatisfying(found -> assertThat(found.id()).isEqualTo(c1.id()));
        assertThat(engine.findContainer("lotest-docker-c")).as("a prefix is not a name").isEmpty();
        assertThat(engine.findNetwork(NET).orElseThrow().containers()).containsEntry(C1, C1_IP);
    }

    @Test
    @Order(11)
    void running_a_second_container_with_the_same_name_is_a_conflict() {
        String id = engine.findContainer(C1).orElseThrow().id();
        assertThatThrownBy(() -> engine.runContainer(busybox(C1, "10.213.50.11", SLEEP_UNTIL_STOPPED)))
                .isInstanceOf(ResourceConflictException.class)
                .hasMessageStartingWith("container name '%s' is already in use by %s", C1, id.substring(0, 12));
    }

    @Test
    @Order(12)
    void running_a_container_on_a_taken_ip_is_a_conflict_and_leaves_nothing_behind() {
        assertThatThrownBy(() -> engine.runContainer(busybox("lotest-docker-c2", C1_IP, SLEEP_UNTIL_STOPPED)))
                .isInstanceOf(ResourceConflictException.class)
                .hasMessageContaining(C1_IP)
                .hasMessageContaining(NET);
        assertThat(engine.findContainer("lotest-docker-c2")).as("the half-made container is removed").isEmpty();
    }

    @Test
    @Order(13)
    void running_a_container_of_an_absent_image_is_image_unavailable() {
        var def = new ContainerDefinition("lotest-docker-c3", "lotest-docker/absent:1", NET, "10.213.50.13",
                LABELS, Map.of(), Map.of(), List.of());
        assertThatThrownBy(() -> engine.runContainer(def)).isInstanceOf(ImageUnavailableException.class)
                .hasMessageContaining("lotest-docker/absent:1");
        assertThat(engine.findContainer("lotest-docker-c3")).isEmpty();
    }

    @Test
    @Order(14)
    void lists_containers_by_label_value_or_presence() {
        Map<String, String> anyValue = new HashMap<>();
        anyValue.put(TEST_LABEL, null);

        assertThat(engine.listContainers(LABELS)).extracting(ContainerInfo::name).contains(C1);
        assertThat(engine.listContainers(anyValue)).extracting(ContainerInfo::name).contains(C1);
        assertThat(engine.listContainers(Map.of(TEST_LABEL, "someone-else"))).extracting(ContainerInfo::name).doesNotContain(C1);
        assertThat(engine.listContainers(LABELS)).filteredOn(c -> c.name().equals(C1)).singleElement()
                .satisfies(c -> assertThat(c.networks()).containsEntry(NET, C1_IP));
    }

    @Test
    @Order(20)
    void connects_a_second_network_at_a_fixed_ip_idempotently() {
        engine.connect(NET2, C1, "10.213.51.20");
        engine.connect(NET2, C1, "10.213.51.20");

        assertThat(engine.findContainer(C1).orElseThrow().networks())
                .containsOnly(Map.entry(NET, C1_IP), Map.entry(NET2, "10.213.51.20"));
        assertThat(engine.findNetwork(NET2).orElseThrow().containers()).containsEntry(C1, "10.213.51.20");
    }

    @Test
    @Order(21)
    void disconnects_idempotently() {
        engine.disconnect(NET2, C1, false);
        engine.disconnect(NET2, C1, false);
        engine.disconnect(NET2, "lotest-docker-never-made", true);

        assertThat(engine.findContainer(C1).orElseThrow().networks()).containsOnlyKeys(NET);
    }

    @Test
    @Order(30)
    void stop_start_and_remove_are_idempotent() {
        engine.stopContainer(C1);
        engine.stopContainer(C1);
        assertThat(engine.findContainer(C1).orElseThrow().state()).isEqualTo("exited");

        engine.startContainer(C1);
        engine.startContainer(C1);
        assertThat(engine.findContainer(C1).orElseThrow().running()).isTrue();

        engine.removeContainer(C1);
        engine.removeContainer(C1);
        assertThat(engine.findContainer(C1)).isEmpty();
    }

    @Test
    @Order(40)
    void volumes_and_networks_are_removed_idempotently() {
        engine.removeVolume(VOLUME);
        engine.removeVolume(VOLUME);
        assertThat(engine.volumeExists(VOLUME)).isFalse();

        engine.removeNetwork(NET2);
        engine.removeNetwork(NET2);
        assertThat(engine.findNetwork(NET2)).isEmpty();
        assertThat(engine.findNetwork(NET)).as("its namesake prefix stays").isPresent();
    }

    // an engine that is not there

    @Test
    @Order(50)
    void an_absent_engine_is_engine_unavailable_naming_the_endpoint() {
        try (DockerEngine absent = DockerEngine.at("unix:///tmp/nonexistent.sock")) {
            assertThat(absent.endpoint()).isEqualTo("unix:///tmp/nonexistent.sock");
            assertThatThrownBy(absent::ping)
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageStartingWith("cannot reach the Docker Engine at unix:///tmp/nonexistent.sock (")
                    .hasMessageEndingWith("): start it (e.g. dockerd) or point DOCKER_HOST at a running engine")
                    .hasMessageNotContaining("\n");
            assertThatThrownBy(() -> absent.findNetwork(NET)).isInstanceOf(EngineUnavailableException.class);
            assertThatThrownBy(() -> absent.imagePresent(IMAGE)).isInstanceOf(EngineUnavailableException.class);
            assertThatThrownBy(() -> absent.logs(C1, 10)).isInstanceOf(EngineUnavailableException.class);
            assertThatThrownBy(() -> absent.pullImage(IMAGE, line -> { })).isInstanceOf(EngineUnavailableException.class);
        }
    }

    // helpers

    static ContainerDefinition busybox(String name, String ip, String script) {
        return new ContainerDefinition(name, IMAGE, NET, ip, LABELS, Map.of(VOLUME, "/data"),
                Map.of("/etc/x/config.yml", "hello: lo\n".getBytes(StandardCharsets.UTF_8),
                        "/etc/x/tls/server.key", "secret\n".getBytes(StandardCharsets.UTF_8)),
                List.of("sh", "-c", script));
    }

    static String awaitLogs(String container, String marker) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String logs = "";
        while (Instant.now().isBefore(deadline)) {
            logs = engine.logs(container, 50);
            if (logs.contains(marker)) {
                return logs;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("container '%s' did not print '%s' within 20 s; its output: %s".formatted(container, marker, logs));
    }

    /** A FROM-scratch image of the host's static busybox (nothing can be pulled here). */
    static void buildBusyboxImage() throws Exception {
        Path context = Files.createTempDirectory("lotest-docker-image");
        try {
            Path bin = Files.createDirectories(context.resolve("bin"));
            Files.copy(Path.of("/usr/bin/busybox"), bin.resolve("busybox"));
            for (String applet : List.of("sh", "sleep", "cat", "ls", "echo", "wget", "httpd")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            Files.writeString(context.resolve("Dockerfile"), """
                    FROM scratch
                    COPY bin /bin
                    ENV PATH=/bin
                    CMD ["sh"]
                    """);
            docker("build", "-q", "--label", TEST_LABEL + "=" + TEST_VALUE, "-t", IMAGE, context.toString());
        } finally {
            try (var files = Files.walk(context)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out after 60 s: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (process.exitValue() != 0) {
            throw new AssertionError("%s failed (%d): %s".formatted(command, process.exitValue(), output));
        }
        return output;
    }
}
