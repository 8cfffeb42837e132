package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.lok8s.lo.it.ProvisionFixture.ctr;
import static dev.lok8s.lo.it.ProvisionFixture.json;
import static dev.lok8s.lo.it.TestDocker.docker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lo registry warm} and {@code lo registry usage} on the real Docker Engine: a provisioned
 * project with a shared mirror of a seeded upstream; the mirror starts empty, warm pulls an image
 * through it from the host, usage shows the repository and a larger volume, and then, with the
 * upstream STOPPED, a node's containerd still pulls the image through the mirror: it can only
 * have come from the cache that warm filled.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheWarmIT {

    static final String ID = "cw";
    static final String SHARED = "lotest-cw-registries";
    static final String SHARED_CIDR = "10.213.172.0/24";
    static final String MIRROR = "lotest-" + ID + "-lok8s-registry-io-docker";
    static final String DOMAIN = "cw.test";
    static final String NAME = "lotest-cw";
    static final String CIDR = "10.213.171.0/24";
    static final String UPSTREAM = "lotest-cw-upstream";
    static final String IMAGE = "docker.io/library/demo:1";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;
    @TempDir
    static Path state;

    static LoCli lo;
    static ProvisionFixture fixture;
    static JsonNode usageBefore;

    @BeforeAll
    static void aProvisionedProjectWithASharedMirrorOfASeededUpstream() {
        lo = LoCli.forTest(ID, state);
        fixture = new ProvisionFixture(lo, root);
        fixture.createLoLikeNetwork(SHARED, SHARED_CIDR, true, null);
        ProvisionFixture.Upstream upstream = fixture.startSeededUpstream(UPSTREAM, SHARED, SHARED_CIDR);
        fixture.writeSpec(DOMAIN, NAME, CIDR, SHARED, SHARED_CIDR, upstream.mirrorUrl());
        fixture.provision(0, DOMAIN);
    }

    static JsonNode usage() {
        LoCli.Result result = lo.run(root, "registry", "usage", DOMAIN, "-o", "json");
        assertThat(result.exitCode()).as("lo registry usage\n%s", result).isZero();
        return json(result.stdout());
    }

    static JsonNode mirrorRow(JsonNode usage) {
        for (JsonNode row : usage.path("registries")) {
            if (row.path("container").asText().equals(MIRROR)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + MIRROR + " in " + usage);
    }

    LoCli.Result warm(String... images) {
        List<String> args = new java.util.ArrayList<>(List.of("registry", "warm", DOMAIN, "-o", "json"));
        args.addAll(List.of(images));
        return lo.run(root, args.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void usageBeforeWarmShowsAnEmptyMirrorAndItsUsers() {
        usageBefore = usage();
        JsonNode mirror = mirrorRow(usageBefore);
        assertThat(mirror.path("scope").asText()).isEqualTo("shared");
        assertThat(mirror.path("state").asText()).isEqualTo("running");
        assertThat(mirror.path("repositories").asInt(-1)).as("nothing pulled through the mirror yet: %s", mirror)
                .isZero();
        assertThat(mirror.path("volumeBytes").isNumber()).as("volume size in bytes: %s", mirror).isTrue();
        assertThat(mirror.path("lastPull").isNull()).as("no pull served yet").isTrue();
        assertThat(mirror.path("usedBy").toString()).contains(NAME);

        LoCli.Result text = lo.run(root, "registry", "usage", DOMAIN);
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.stdout()).contains("REGISTRY", "SIZE", MIRROR, "Total on disk:");
    }

    @Test
    @Order(2)
    void warmPullsTheImageThroughTheMirrorAndRecordsIt() {
        LoCli.Result result = warm(IMAGE);
        assertThat(result.exitCode()).as("lo registry warm\n%s", result).isZero();
        JsonNode out = json(result.stdout());
        JsonNode image = out.path("images").get(0);
        assertThat(image.path("image").asText()).isEqualTo(IMAGE);
        assertThat(image.path("mirror").asText()).isEqualTo(MIRROR);
        assertThat(image.path("cached").asBoolean()).as("first warm fetches").isFalse();
        assertThat(image.path("digest").asText()).startsWith("sha256:");
        assertThat(image.path("bytes").asLong()).as("bytes read").isPositive();

        List<JsonNode> events = fixture.history("--run", out.path("runId").asText(), "--type", "ImageWarmed");
        assertThat(events).as("one ImageWarmed").hasSize(1);
        JsonNode payload = events.getFirst().path("payload");
        assertThat(payload.path("digest").asText()).isEqualTo(image.path("digest").asText());
        assertThat(payload.path("bytes").asLong()).isEqualTo(image.path("bytes").asLong());
        assertThat(fixture.latestRun().path("command").asText()).isEqualTo("registry warm");
    }

    @Test
    @Order(3)
    void warmingAgainSkipsTheCachedImage() {
        LoCli.Result result = warm(IMAGE);
        assertThat(result.exitCode()).as("%s", result).isZero();
        assertThat(json(result.stdout()).path("images").get(0).path("cached").asBoolean()).as("already cached")
                .isTrue();
    }

    @Test
    @Order(4)
    void aFailedImageIsNamedWithTheUpstreamErrorAndTheOthersGoOn() {
        LoCli.Result result = warm("docker.io/library/absent:9", IMAGE);
        assertThat(result.exitCode()).as("%s", result).isEqualTo(1);
        assertThat(result.stderr()).contains("docker.io/library/absent:9").containsIgnoringCase("unknown");
        JsonNode out = json(result.stdout());
        assertThat(out.path("images").size()).as("the other image was still warmed").isEqualTo(1);
        assertThat(out.path("status").asText()).isEqualTo("failed");
    }

    @Test
    @Order(5)
    void badInputIsRefusedBeforeAnyFetch() throws Exception {
        LoCli.Result bad = warm("Not:A:Ref");
        assertThat(bad.exitCode()).as("%s", bad).isEqualTo(2);
        assertThat(bad.stderr()).contains("Not:A:Ref");
        LoCli.Result noMirror = warm("ghcr.io/org/app:1");
        assertThat(noMirror.exitCode()).as("%s", noMirror).isEqualTo(2);
        assertThat(noMirror.stderr()).contains("no mirror of ghcr.io");
        Path list = Files.writeString(root.resolve("images.txt"), "# the demo\n" + IMAGE + "\n");
        LoCli.Result fromFile = lo.run(root, "registry", "warm", DOMAIN, "-f", list.toString());
        assertThat(fromFile.exitCode()).as("%s", fromFile).isZero();
        assertThat(fromFile.stdout()).contains("cached " + IMAGE);
    }

    @Test
    @Order(6)
    void usageAfterWarmShowsTheRepositoryTagAndALargerVolume() {
        JsonNode mirror = mirrorRow(usage());
        assertThat(mirror.path("repositories").asInt()).as("%s", mirror).isEqualTo(1);
        assertThat(mirror.path("tags").asInt()).as("%s", mirror).isGreaterThanOrEqualTo(1);
        assertThat(mirror.path("volumeBytes").asLong()).as("the volume grew by the image")
                .isGreaterThan(mirrorRow(usageBefore).path("volumeBytes").asLong());
        assertThat(mirror.path("lastPull").isNull()).as("lo's own warm is not a served pull").isTrue();
    }

    @Test
    @Order(7)
    void withTheUpstreamStoppedANodeStillPullsTheImageFromTheCache() {
        docker("stop", "-t", "2", UPSTREAM);
        var pull = ctr(NAME + "-control-plane", "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", IMAGE);
        assertThat(pull.code()).as("pull through the mirror with the upstream down: %s%s", pull.out(), pull.err())
                .isZero();
        JsonNode mirror = mirrorRow(usage());
        // containerd resolves the tag with a HEAD, then GETs the manifest by digest
        assertThat(mirror.path("lastPullImage").asText()).as("the node's pull is the last one served: %s", mirror)
                .startsWith("library/demo:sha256:");
        assertThat(mirror.path("lastPull").isNull()).isFalse();
    }
}
