package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lok8s.lo.plan.Labels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.lok8s.lo.it.ProvisionFixture.ctr;
import static dev.lok8s.lo.it.ProvisionFixture.get;
import static dev.lok8s.lo.it.ProvisionFixture.json;
import static dev.lok8s.lo.it.TestDocker.docker;
import static dev.lok8s.lo.it.TestDocker.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache keeps serving while the upstream is away: warm an image, stop the upstream, restart the
 * mirror (a distribution proxy then keeps restarting), {@code lo registry up} serves the same volume
 * read-only, and a real containerd node pulls the cached image through it; an image not in the cache
 * fails with one clear line. The upstream comes back, and the mirror proxies again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorOfflineIT {

    static final String ID = "up-off";
    static final String DOMAIN = "o.up.test";
    static final String NAME = "lotest-up-o";
    static final String CIDR = "10.213.186.0/24";
    static final String MIRROR = NAME + "-registry-io-docker";
    static final String MIRROR_IP = "10.213.186.103";
    static final String NODE = NAME + "-control-plane";
    static final String UPSTREAM = "lotest-up-offline-upstream";
    static final String CACHED = "docker.io/library/demo:1";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;
    @TempDir
    static Path state;

    static LoCli lo;
    static ProvisionFixture fixture;
    static ProvisionFixture.Upstream upstream;

    @BeforeAll
    static void aProjectWithAMirrorOfASeededUpstream() {
        lo = LoCli.forTest(ID, state).env("LO_UPSTREAM_CONNECT_TIMEOUT", "2s");
        fixture = new ProvisionFixture(lo, root);
        fixture.createLoLikeNetwork(NAME, CIDR, false, NAME);
        upstream = fixture.startSeededUpstream(UPSTREAM, NAME, CIDR);
        fixture.writeSpec(DOMAIN, NAME, CIDR, null, null, upstream.mirrorUrl());
    }

    static JsonNode registryUp() {
        LoCli.Result result = lo.run(root, "registry", "up", DOMAIN, "-o", "json");
        assertThat(result.exitCode()).as("lo registry up\n%s", result).isZero();
        return json(result.stdout());
    }

    static String mode() {
        return docker("inspect", MIRROR, "--format", "{{index .Config.Labels \"" + Labels.MIRROR_MODE + "\"}}").strip();
    }

    static JsonNode mirrorStatus() {
        LoCli.Result result = lo.run(root, "registry", "status", DOMAIN, "-o", "json");
        assertThat(result.exitCode()).as("%s", result).isZero();
        for (JsonNode r : json(result.stdout()).path("projectRegistries")) {
            if (r.path("container").asText().equals(MIRROR)) {
                return r;
            }
        }
        throw new AssertionError("no " + MIRROR + " in " + result.stdout());
    }

    @Test
    @Order(1)
    void provisionedWhileTheUpstreamAnswersTheMirrorProxiesAndWarmFillsIt() {
        fixture.provision(0, DOMAIN);
        assertThat(mode()).isEqualTo("proxy");
        LoCli.Result warm = lo.run(root, "registry", "warm", DOMAIN, CACHED, "-o", "json");
        assertThat(warm.exitCode()).as("%s", warm).isZero();
        assertThat(ctr(NODE, "images", "ls", "-q").out()).as("the node has not pulled yet").doesNotContain("demo");
    }

    @Test
    @Order(2)
    void withTheUpstreamDownRegistryUpServesTheCacheAndTheNodePullsFromIt() {
        docker("stop", UPSTREAM);
        docker("restart", MIRROR);
        awaitState("restarting");

        JsonNode up = registryUp();
        assertThat(up.path("steps").path("registry:" + MIRROR).asText()).as("%s", up).isEqualTo("replaced");
        assertThat(up.path("warnings").toString()).contains("mirror " + MIRROR + " is offline");
        assertThat(mode()).isEqualTo("offline");
        assertThat(docker("inspect", MIRROR, "--format", "{{.State.Status}}").strip()).isEqualTo("running");

        var pull = ctr(NODE, "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", CACHED);
        assertThat(pull.code()).as("the node pulls the cached image with the upstream down: %s", pull.err()).isZero();

        JsonNode status = mirrorStatus();
        assertThat(status.path("mode").asText()).isEqualTo("offline");
        assertThat(status.path("display").asText()).isEqualTo("Running (offline: serving its cache)");
        LoCli.Result text = lo.run(root, "registry", "status", DOMAIN);
        assertThat(text.stdout()).contains("Running (offline: serving its cache)",
                MIRROR + ": offline: serving its cache");
        List<JsonNode> started = fixture.history("--type", "MirrorStarted");
        assertThat(started.getFirst().path("payload").path("mode").asText()).as("recorded").isEqualTo("offline");

        LoCli.Result missing = lo.run(root, "registry", "warm", DOMAIN, "docker.io/library/notcached:1");
        assertThat(missing.exitCode()).as("%s", missing).isNotZero();
        assertThat(missing.stderr().lines().filter(l -> l.contains("notcached")).toList()).as("%s", missing)
                .singleElement().asString().contains("is offline", "serves only its cache");

        JsonNode again = registryUp();
        assertThat(again.path("steps").path("registry:" + MIRROR).asText()).as("still offline: left as it is")
                .isEqualTo("unchanged");
    }

    @Test
    @Order(3)
    void whenTheUpstreamAnswersAgainTheMirrorProxiesAgain() {
        docker("start", UPSTREAM);
        ProvisionFixture.awaitHttp("http://127.0.0.1:" + published() + "/v2/", Duration.ofSeconds(30));
        // an image only the upstream has, with layers the node does not hold: the mirror must pull it through
        String tag = "127.0.0.1:" + published() + "/library/fresh:1";
        docker("tag", LoCli.REGISTRY_IMAGE, tag);
        try {
            docker("push", tag);
        } finally {
            exec("rmi", tag);
        }
        LoCli.Result doctor = lo.run(root, "doctor", DOMAIN);
        assertThat(doctor.all()).contains("serves its cache only, but its upstream " + upstream.mirrorUrl()
                + " answers again", "lo registry up " + DOMAIN);

        JsonNode up = registryUp();
        assertThat(up.path("steps").path("registry:" + MIRROR).asText()).isEqualTo("replaced");
        assertThat(mode()).isEqualTo("proxy");
        var pull = ctr(NODE, "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", "docker.io/library/fresh:1");
        assertThat(pull.code()).as("pulled through again: %s", pull.err()).isZero();
        // the mirror stores what it pulled through in the background: look again for a while
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String catalog = get("http://" + MIRROR_IP + "/v2/_catalog");
        while (!catalog.contains("library/fresh") && System.nanoTime() < deadline) {
            sleep(500);
            catalog = get("http://" + MIRROR_IP + "/v2/_catalog");
        }
        assertThat(catalog).as("the cache took in the new image").contains("library/fresh", "library/demo");
        assertThat(mirrorStatus().path("display").asText()).isEqualTo("Running");
        assertThat(fixture.history("--type", "MirrorStarted").getFirst().path("payload").path("mode").asText())
                .isEqualTo("proxy");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static int published() {
        String line = docker("port", UPSTREAM, "5000/tcp").lines().findFirst().orElseThrow();
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
    }

    static void awaitState(String wanted) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = docker("inspect", MIRROR, "--format", "{{.State.Status}}").strip();
            if (state.equals(wanted)) {
                return;
            }
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(MIRROR + " is " + state + ", not " + wanted + ", after 60 s");
    }
}
