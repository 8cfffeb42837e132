package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.lok8s.lo.it.TestDocker.docker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pushing from the host with nothing configured, on the real Docker Engine: the Docker CLI pushes to
 * {@code localhost:<port>} (the daemon here has no registry settings; it speaks plain HTTP to loopback by
 * default), then containerd in a node of the stand-in kind pulls the same image by {@code lok8s.local}
 * through certs.d; the same over TLS with a mkcert CA installed for the class (and uninstalled after); a
 * port another process or another lo project holds refused before any change; and a registry an earlier
 * lo made without the port brought to the new shape with its images.
 *
 * <p>Host ports come from the test rule ({@link LoCli#TEST_HOST_PORT_BASE} + 10 * slot + 1 or 2, slots
 * 180 to 188 here) or from a port the test itself found free: never the ports of a user's projects.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostPushIT {

    private static final String TEST_ID = "hpush";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A project of this test: name, /24 (its third octet is the slot), its build and cache ports. */
    private record Project(String name, String cidr) {
        int slot() {
            return Integer.parseInt(cidr.split("\\.")[2]);
        }

        int buildPort() {
            return LoCli.TEST_HOST_PORT_BASE + 10 * slot() + 1;
        }

        int cachePort() {
            return buildPort() + 1;
        }

        String build() {
            return name + "-registry-build";
        }

        String buildIp() {
            return cidr.replace("0/24", "101");
        }

        String node() {
            return name + "-control-plane";
        }
    }

    private static final Project PLAIN = new Project("lotest-hpplain", "10.213.180.0/24");
    private static final Project TLS = new Project("lotest-hptls", "10.213.182.0/24");
    private static final Project UPGRADE = new Project("lotest-hpold", "10.213.184.0/24");
    private static final Project REFUSED = new Project("lotest-hpref", "10.213.186.0/24");

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(TEST_ID);

    static Path temp;
    static Path caRoot;
    static LoCli lo;
    static final List<String> tagged = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        temp = Files.createTempDirectory("lo-hpush-");
        caRoot = temp.resolve("caroot");
        lo = LoCli.forTest(TEST_ID, temp.resolve("state")).env("CAROOT", caRoot.toString());
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (caRoot != null && Files.exists(caRoot.resolve("rootCA.pem"))) {
            run("mkcert", "-uninstall");
        }
        for (String ref : tagged) {
            TestDocker.exec("rmi", ref);
        }
        DOCKER.clean(); // before the certs.d trees under temp that the nodes mount go
        if (temp != null) {
            try (Stream<Path> files = Files.walk(temp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void plainHttpTheHostPushesToLocalhostAndTheNodePullsTheSameImageByLok8sLocal() throws Exception {
        Path dir = writeSpec(PLAIN, false, null);
        LoCli.Result provision = lo.run(dir, "provision", "-f", "cluster.lok8s.yaml");
        assertThat(provision.exitCode()).as("lo provision: %s", provision).isZero();
        assertThat(provision.stdout()).as("the summary shows the loop")
                .contains("docker push localhost:" + PLAIN.buildPort() + "/IMAGE:TAG", "pods pull lok8s.local/IMAGE:TAG");

        assertThat(TestDocker.lines(docker("port", PLAIN.build()))).as("published on loopback only")
                .containsExactly("80/tcp -> 127.0.0.1:" + PLAIN.buildPort());
        assertThat(TestDocker.lines(docker("port", PLAIN.name + "-registry-cache")))
                .containsExactly("80/tcp -> 127.0.0.1:" + PLAIN.cachePort());

        String digest = push("localhost:" + PLAIN.buildPort() + "/hpapp:1");
        assertNodePulls(PLAIN, "lok8s.local/hpapp:1", digest);

        JsonNode status = JSON.readTree(lo.run(dir, "registry", "status", "-f", "cluster.lok8s.yaml", "-o", "json")
                .stdout());
        assertThat(status.path("projectRegistries").findValuesAsText("pushAddress")).as("status JSON")
                .containsExactly("localhost:" + PLAIN.buildPort(), "localhost:" + PLAIN.cachePort());
        assertThat(lo.run(dir, "registry", "status", "-f", "cluster.lok8s.yaml").stdout()).as("status text")
                .contains("push: localhost:" + PLAIN.buildPort());

        LoCli.Result history = lo.run(dir, "history", "--type", "RegistryStarted", "-o", "json");
        List<Integer> ports = new ArrayList<>();
        for (JsonNode event : JSON.readTree(history.stdout())) {
            ports.add(event.path("payload").path("hostPort").asInt());
        }
        assertThat(ports).as("the port is recorded in RegistryStarted")
                .contains(PLAIN.buildPort(), PLAIN.cachePort());
    }

    @Test
    @Order(2)
    void aPortAnotherProcessHoldsIsRefusedBeforeAnyChangeAndTheRefusalRecorded() throws Exception {
        try (ServerSocket held = new ServerSocket()) {
            held.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = held.getLocalPort();
            Path dir = writeSpec(REFUSED, false, port);
            LoCli.Result dryRun = lo.run(dir, "provision", "--dry-run", "-f", "cluster.lok8s.yaml");
            assertThat(dryRun.stdout()).as("the dry run shows the refusal: %s", dryRun)
                    .containsPattern("refuse +check-host-ports: error: host port 127\\.0\\.0\\.1:" + port + " for build")
                    .contains("push localhost:" + port);

            LoCli.Result up = lo.run(dir, "registry", "up", "-f", "cluster.lok8s.yaml");

            assertThat(up.exitCode()).as("refused: %s", up).isEqualTo(2);
            assertThat(up.stderr()).as("one line naming the port and the holder").contains("error: host port 127.0.0.1:"
                    + port + " for build of project " + REFUSED.name + " is taken by another process",
                    "fix: set spec.registries.build.hostPort to a free port");
            assertNothingMadeFor(REFUSED);
            assertThat(lastRejection()).as("RunRejected").contains("127.0.0.1:" + port);
        }
    }

    @Test
    @Order(3)
    void aPortAnotherLoProjectUsesIsRefusedNamingThatProject() throws Exception {
        Path dir = writeSpec(REFUSED, false, PLAIN.buildPort());

        LoCli.Result up = lo.run(dir, "registry", "up", "-f", "cluster.lok8s.yaml");

        assertThat(up.exitCode()).as("refused: %s", up).isEqualTo(2);
        assertThat(up.stderr()).contains("error: host port 127.0.0.1:" + PLAIN.buildPort() + " for build of project "
                + REFUSED.name + " is taken by container '" + PLAIN.build() + "' of lo project '" + PLAIN.name + "'");
        assertNothingMadeFor(REFUSED);
        assertThat(lastRejection()).contains(PLAIN.build());

        // stopped, the other project's registry still holds its port (starting it takes the port back)
        docker("stop", PLAIN.build());
        try {
            LoCli.Result stopped = lo.run(dir, "registry", "up", "-f", "cluster.lok8s.yaml");
            assertThat(stopped.exitCode()).as("refused while stopped: %s", stopped).isEqualTo(2);
            assertThat(stopped.stderr()).contains("'" + PLAIN.build() + "' of lo project '" + PLAIN.name + "' (exited)");
        } finally {
            docker("start", PLAIN.build());
        }
    }

    @Test
    @Order(4)
    void tlsTheLoopbackPortSpeaksTlsWithTheMkcertCertificateAndTheNodePullsTheSameImage() throws Exception {
        LoCli.Result trust = lo.run(temp, "trust", "--yes");
        assertThat(trust.exitCode()).as("lo trust --yes: %s", trust).isZero();
        Path dir = writeSpec(TLS, true, null);
        LoCli.Result provision = lo.run(dir, "provision", "-f", "cluster.lok8s.yaml");
        assertThat(provision.exitCode()).as("lo provision: %s", provision).isZero();

        assertThat(TestDocker.lines(docker("port", TLS.build()))).containsExactly("443/tcp -> 127.0.0.1:" + TLS.buildPort());
        for (String host : List.of("localhost", "127.0.0.1")) {
            assertThat(curl("https://" + host + ":" + TLS.buildPort() + "/v2/"))
                    .as("curl https://%s:%d/v2/ verifies the certificate with the system trust store only", host,
                            TLS.buildPort()).isEqualTo("200");
        }
        assertThat(curl("http://localhost:" + TLS.buildPort() + "/v2/")).as("no plain HTTP on the TLS port")
                .isNotEqualTo("200");

        String digest = push("localhost:" + TLS.buildPort() + "/hptls:1");
        assertNodePulls(TLS, "lok8s.local/hptls:1", digest);
    }

    @Test
    @Order(5)
    void aRegistryAnEarlierLoMadeWithoutThePortIsRecreatedOnItsVolumeAndKeepsItsImages() throws Exception {
        Path dir = writeSpec(UPGRADE, false, null);
        String cache = UPGRADE.name + "-registry-cache";
        // the earlier shape: lo without host ports, killed after starting cache (an interrupted run of that lo)
        // (one step at a time, so build is done before cache)
        LoCli.Result earlier = lo.env("LO_HOST_PORTS", "false").env("LO_PARALLELISM", "1")
                .env("LO_TEST_CRASH", "registry:" + cache + "@after-effect")
                .run(dir, "provision", "-f", "cluster.lok8s.yaml");
        lo.env("LO_HOST_PORTS", null).env("LO_PARALLELISM", null).env("LO_TEST_CRASH", null);
        assertThat(earlier.exitCode()).as("halted mid-run: %s", earlier).isEqualTo(137);
        assertThat(docker("port", UPGRADE.build())).as("no published port then").isBlank();
        String volume = docker("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", UPGRADE.build());

        // an image pushed the way the earlier lo allowed: to the registry's address, from the host
        run("skopeo", "copy", "--dest-tls-verify=false", "docker-daemon:lok8s.local/test-busybox:1",
                "docker://" + UPGRADE.buildIp() + "/kept:1");

        // before the fix: status and doctor say the push address does not reach build
        JsonNode before = JSON.readTree(lo.run(dir, "registry", "status", "-f", "cluster.lok8s.yaml", "-o", "json")
                .stdout());
        assertThat(before.path("drift").findValuesAsText("kind")).as("%s", before.path("drift"))
                .contains("HOST_PORT_MISSING");
        assertThat(lo.run(dir, "registry", "status", "-f", "cluster.lok8s.yaml").stdout()).as("status text")
                .contains("push: localhost:" + UPGRADE.buildPort() + " (not published: see drift)");
        LoCli.Result doctor = lo.run(dir, "doctor", "-f", "cluster.lok8s.yaml");
        assertThat(doctor.exitCode()).as("%s", doctor).isEqualTo(1);
        assertThat(doctor.stdout()).as("%s", doctor)
                .contains("error: " + UPGRADE.build() + " runs without its host port 127.0.0.1:" + UPGRADE.buildPort()
                        + ": docker push localhost:" + UPGRADE.buildPort() + " does not reach it")
                .contains("fix: lo registry up ");

        LoCli.Result now = lo.run(dir, "provision", "-f", "cluster.lok8s.yaml");

        assertThat(now.exitCode()).as("lo provision with host ports: %s", now).isZero();
        JsonNode after = JSON.readTree(lo.run(dir, "registry", "status", "-f", "cluster.lok8s.yaml", "-o", "json")
                .stdout());
        assertThat(after.path("drift").findValuesAsText("kind")).as("published now").doesNotContain("HOST_PORT_MISSING");
        assertThat(now.stderr()).as("the earlier run's plan had no ports: a new run converges")
                .contains("plan changed since run", "(interrupted): starting a new run that converges")
                .containsPattern("registry:" + UPGRADE.build() + "\\s+replaced.*host port \\(none\\) -> 127\\.0\\.0\\.1:"
                        + UPGRADE.buildPort());
        assertThat(TestDocker.lines(docker("port", UPGRADE.build())))
                .containsExactly("80/tcp -> 127.0.0.1:" + UPGRADE.buildPort());
        assertThat(docker("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", UPGRADE.build()))
                .as("the same volume (what it holds: below)").isEqualTo(volume);

        assertThat(curlBody("http://localhost:" + UPGRADE.buildPort() + "/v2/kept/tags/list"))
                .as("the image pushed before is there through the new port").contains("\"1\"");
        String digest = pull("localhost:" + UPGRADE.buildPort() + "/kept:1");
        assertNodePulls(UPGRADE, "lok8s.local/kept:1", digest);
    }

    // helpers

    private static Path writeSpec(Project project, boolean tls, Integer buildPort) {
        Path dir = temp.resolve(project.name);
        SpecBuilder.named(project.name).network(project.name, project.cidr).shared(false).mirrors().tls(tls)
                .hostPorts(buildPort, null).writeIn(dir);
        return dir;
    }

    /** Tags the test busybox as {@code ref}, pushes it with the Docker CLI; its manifest digest. */
    private static String push(String ref) {
        docker("tag", "lok8s.local/test-busybox:1", ref);
        tagged.add(ref);
        TestDocker.Exec push = TestDocker.exec("push", ref);
        assertThat(push.code()).as("docker push %s: %s %s", ref, push.out(), push.err()).isZero();
        Matcher digest = Pattern.compile("digest: (sha256:[0-9a-f]{64})").matcher(push.out());
        assertThat(digest.find()).as("digest in %s", push.out()).isTrue();
        return digest.group(1);
    }

    /** Pulls {@code ref} with the Docker CLI; its repo digest. */
    private static String pull(String ref) {
        TestDocker.Exec pull = TestDocker.exec("pull", ref);
        tagged.add(ref);
        assertThat(pull.code()).as("docker pull %s: %s %s", ref, pull.out(), pull.err()).isZero();
        Matcher digest = Pattern.compile("Digest: (sha256:[0-9a-f]{64})").matcher(pull.out());
        assertThat(digest.find()).as("digest in %s", pull.out()).isTrue();
        return digest.group(1);
    }

    /** containerd in the project's node pulls {@code ref} through certs.d and holds the manifest {@code digest}. */
    private static void assertNodePulls(Project project, String ref, String digest) {
        TestDocker.Exec pull = TestDocker.exec("exec", project.node(), "ctr", "images", "pull", "--hosts-dir",
                "/etc/containerd/certs.d", ref);
        assertThat(pull.code()).as("node pull %s: %s %s", ref, pull.out(), pull.err()).isZero();
        TestDocker.Exec list = TestDocker.exec("exec", project.node(), "ctr", "images", "ls", "name==" + ref);
        assertThat(list.out()).as("the node holds the image the host pushed (same registry, same repository)")
                .contains(ref).contains(digest);
    }

    private static void assertNothingMadeFor(Project project) {
        assertThat(TestDocker.exec("network", "inspect", project.name).code()).as("no network for %s", project.name)
                .isNotZero();
        assertThat(TestDocker.exec("inspect", project.build()).code()).as("no container").isNotZero();
    }

    /** The reason of the newest RunRejected in the log. */
    private static String lastRejection() throws IOException {
        LoCli.Result history = lo.run(temp, "history", "--type", "RunRejected", "-o", "json");
        assertThat(history.exitCode()).as("lo history: %s", history).isZero();
        JsonNode events = JSON.readTree(history.stdout());
        assertThat(events.isEmpty()).as("a RunRejected").isFalse();
        JsonNode newest = events.get(0);
        for (JsonNode e : events) {
            if (e.path("position").asLong() > newest.path("position").asLong()) {
                newest = e;
            }
        }
        return newest.path("payload").path("reason").asText();
    }

    /** HTTP status from curl with the system trust store only; "000" when nothing answers or TLS fails. */
    private static String curl(String url) {
        return run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", url).strip();
    }

    private static String curlBody(String url) {
        return run("curl", "-sS", "--max-time", "5", url);
    }

    /** Runs a command with {@code CAROOT} set, bounded; its stdout (a failure is in the output, not thrown). */
    private static String run(String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
            builder.environment().put("CAROOT", caRoot.toString());
            Process process = builder.start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!command[0].equals("curl")) {
                assertThat(process.exitValue()).as("%s: %s %s", String.join(" ", command), out, err).isZero();
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
