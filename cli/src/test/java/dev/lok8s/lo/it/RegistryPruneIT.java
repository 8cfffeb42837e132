package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.lok8s.lo.it.ProvisionFixture.ctr;
import static dev.lok8s.lo.it.ProvisionFixture.json;
import static dev.lok8s.lo.it.TestDocker.docker;
import static dev.lok8s.lo.it.TestDocker.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lo registry prune} and the mirrors' hits and misses on the real Docker Engine: a provisioned
 * project with a shared mirror of a seeded upstream holding two images that share no layer (a ~1 MB
 * busybox as library/demo:1, a ~9 MB registry image as library/big:1). Both are warmed, a node pulls
 * demo again (so big is the least recently pulled), then a dry run changes nothing, a prune to 5 MB
 * removes big alone and frees its bytes on the volume (measured with {@code docker system df}), demo
 * still pulls with the upstream stopped (from the cache), big pulls again through the mirror, and the
 * run and its events are in the history.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryPruneIT {

    static final String ID = "pr";
    static final String SHARED = "lotest-pr-registries";
    static final String SHARED_CIDR = "10.213.182.0/24";
    static final String MIRROR = "lotest-" + ID + "-lok8s-registry-io-docker";
    static final String VOLUME = MIRROR + "-data";
    static final String DOMAIN = "pr.test";
    static final String NAME = "lotest-pr";
    static final String NODE = NAME + "-control-plane";
    static final String CIDR = "10.213.181.0/24";
    static final String UPSTREAM = "lotest-pr-upstream";
    static final String DEMO = "docker.io/library/demo:1";
    static final String BIG = "docker.io/library/big:1";
    static final String KEEP = "5MB";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;
    @TempDir
    static Path state;

    static LoCli lo;
    static ProvisionFixture fixture;
    static ProvisionFixture.Upstream upstream;
    static String mirrorUrl;

    @BeforeAll
    static void aProvisionedProjectWithTwoImagesUpstream() {
        lo = LoCli.forTest(ID, state);
        fixture = new ProvisionFixture(lo, root);
        fixture.createLoLikeNetwork(SHARED, SHARED_CIDR, true, null);
        upstream = fixture.startSeededUpstream(UPSTREAM, SHARED, SHARED_CIDR);
        String tag = "127.0.0.1:" + upstream.port() + "/library/big:1";
        docker("tag", LoCli.REGISTRY_IMAGE, tag);
        try {
            docker("push", tag);
        } finally {
            exec("rmi", tag);
        }
        fixture.writeSpec(DOMAIN, NAME, CIDR, SHARED, SHARED_CIDR, upstream.mirrorUrl());
        fixture.provision(0, DOMAIN);
        mirrorUrl = "http://" + ProvisionFixture.networksOf(MIRROR).get(SHARED);
    }

    /** The volume's size as the engine reports it, read with the docker CLI (not lo's adapter). */
    static long volumeBytes() {
        for (String line : TestDocker.lines(docker("system", "df", "-v", "--format",
                "{{range .Volumes}}{{.Name}} {{.Size}}\n{{end}}"))) {
            String[] parts = line.strip().split(" ");
            if (parts.length == 2 && parts[0].equals(VOLUME)) {
                return parseDockerSize(parts[1]);
            }
        }
        throw new AssertionError("volume " + VOLUME + " not in docker system df");
    }

    /**
     * Every file of the registry's storage on the volume (blobs are named by digest, manifests and tags are
     * link files), listed by a throw-away busybox container; the mirror's own scheduler state, which it
     * saves on its own schedule, lies outside this tree.
     */
    static List<String> storageFiles() {
        return TestDocker.lines(docker("run", "--rm", "--label", "dev.lok8s.test=" + ID, "-v", VOLUME + ":/v:ro",
                ProvisionFixture.SEED_SOURCE, "find", "/v/docker", "-type", "f")).stream().sorted().toList();
    }

    static long parseDockerSize(String text) {
        String unit = text.replaceAll("[0-9.]", "");
        double value = Double.parseDouble(text.substring(0, text.length() - unit.length()));
        long factor = switch (unit) {
            case "B" -> 1L;
            case "kB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            default -> throw new AssertionError("unit " + unit);
        };
        return (long) (value * factor);
    }

    static JsonNode mirrorRow(JsonNode usage) {
        for (JsonNode row : usage.path("registries")) {
            if (row.path("container").asText().equals(MIRROR)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + MIRROR + " in " + usage);
    }

    static JsonNode usage() {
        LoCli.Result result = lo.run(root, "registry", "usage", DOMAIN, "-o", "json");
        assertThat(result.exitCode()).as("lo registry usage\n%s", result).isZero();
        return json(result.stdout());
    }

    static LoCli.Result prune(String... args) {
        List<String> all = new ArrayList<>(List.of("registry", "prune", DOMAIN));
        all.addAll(List.of(args));
        return lo.run(root, all.toArray(String[]::new));
    }

    static void sleepQuietly() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static TestDocker.Exec nodePull(String image) {
        return ctr(NODE, "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", image);
    }

    @Test
    @Order(1)
    void bothImagesAreWarmedAndTheNodePullsDemoAgain() throws Exception {
        LoCli.Result warm = lo.run(root, "registry", "warm", DOMAIN, DEMO, BIG);
        assertThat(warm.exitCode()).as("lo registry warm\n%s", warm).isZero();
        Thread.sleep(1100);  // the access log counts in seconds: demo's node pull is the newer one
        var pull = nodePull(DEMO);
        assertThat(pull.code()).as("node pull of demo: %s%s", pull.out(), pull.err()).isZero();
    }

    @Test
    @Order(2)
    void aDryRunListsTheLeastRecentlyPulledImageAndChangesNothing() {
        List<String> before = storageFiles();
        assertThat(before).as("both images' blobs").anyMatch(f -> f.contains("/blobs/sha256/"));
        LoCli.Result dry = prune("--keep-storage", KEEP, "--dry-run", "-o", "json");
        assertThat(dry.exitCode()).as("%s", dry).isZero();
        JsonNode out = json(dry.stdout());
        assertThat(out.path("dryRun").asBoolean()).isTrue();
        assertThat(out.path("runId").isNull()).as("a dry run is not a run").isTrue();
        JsonNode mirror = out.path("mirrors").get(0);
        assertThat(mirror.path("images")).as("%s", out).hasSize(1);
        assertThat(mirror.path("images").get(0).path("image").asText()).isEqualTo("library/big:1");
        assertThat(mirror.path("images").get(0).path("bytes").asLong()).as("big's layers").isGreaterThan(5_000_000L);

        LoCli.Result text = prune("--keep-storage", KEEP, "--dry-run");
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.stdout()).contains("would prune library/big:1", "dry run, nothing changed")
                .doesNotContain("library/demo");

        assertThat(storageFiles()).as("the volume's storage is untouched").isEqualTo(before);
        assertThat(docker("inspect", "-f", "{{.State.Status}}", MIRROR).strip()).isEqualTo("running");
        assertThat(fixture.history("--type", "ImagePruned")).as("nothing pruned").isEmpty();
        assertThat(TestDocker.containers("dev.lok8s.test=" + ID)).as("no maintenance registry left")
                .noneMatch(c -> c.contains("maintenance") || c.endsWith("-gc"));
    }

    @Test
    @Order(3)
    void badLimitsAreRefusedWithExitTwo() {
        LoCli.Result bad = prune("--keep-storage", "lots");
        assertThat(bad.exitCode()).as("%s", bad).isEqualTo(2);
        assertThat(bad.stderr()).contains("--keep-storage", "'lots'");
        LoCli.Result none = prune();
        assertThat(none.exitCode()).as("%s", none).isEqualTo(2);
        assertThat(none.stderr()).contains("error: no limit", "fix: ");
    }

    @Test
    @Order(4)
    void pruneRemovesTheLeastRecentlyPulledImageAndFreesItsBytesOnTheVolume() {
        long before = volumeBytes();
        LoCli.Result result = prune("--keep-storage", KEEP, "-o", "json");
        assertThat(result.exitCode()).as("lo registry prune\n%s", result).isZero();
        long after = volumeBytes();
        JsonNode out = json(result.stdout());
        assertThat(out.path("status").asText()).isEqualTo("completed");
        JsonNode mirror = out.path("mirrors").get(0);
        assertThat(mirror.path("images")).hasSize(1);
        assertThat(mirror.path("images").get(0).path("image").asText()).isEqualTo("library/big:1");
        assertThat(before - after).as("bytes freed on the volume (before %d, after %d)", before, after)
                .isGreaterThan(5_000_000L);
        assertThat(after).as("under the limit").isLessThanOrEqualTo(5_000_000L);
        assertThat(mirror.path("blobsDeleted").asInt()).as("big's config and layer").isGreaterThanOrEqualTo(2);
        assertThat(docker("inspect", "-f", "{{.State.Status}}", MIRROR).strip()).as("the mirror runs again")
                .isEqualTo("running");

        String runId = out.path("runId").asText();
        assertThat(fixture.latestRun().path("command").asText()).isEqualTo("registry prune");
        List<JsonNode> pruned = fixture.history("--run", runId, "--type", "ImagePruned");
        assertThat(pruned).hasSize(1);
        assertThat(pruned.getFirst().path("payload").path("image").asText()).isEqualTo("library/big:1");
        assertThat(pruned.getFirst().path("payload").path("bytes").asLong()).isGreaterThan(5_000_000L);
        List<JsonNode> cache = fixture.history("--run", runId, "--type", "CachePruned");
        assertThat(cache).hasSize(1);
        assertThat(cache.getFirst().path("payload").path("bytesAfter").asLong()).isLessThan(
                cache.getFirst().path("payload").path("bytesBefore").asLong());
        assertThat(fixture.history("--run", runId, "--type", "RunCompleted")).hasSize(1);
        assertThat(fixture.stepOutcomes(runId)).containsEntry("prune:" + MIRROR, "removed");
    }

    @Test
    @Order(5)
    void theKeptImageStillComesFromTheCacheWithTheUpstreamStopped() {
        ProvisionFixture.awaitHttp(mirrorUrl + "/v2/", Duration.ofSeconds(30));
        docker("stop", "-t", "2", UPSTREAM);
        try {
            exec("exec", NODE, "ctr", "images", "rm", DEMO);
            var pull = nodePull(DEMO);
            assertThat(pull.code()).as("demo from the cache alone: %s%s", pull.out(), pull.err()).isZero();
        } finally {
            docker("start", UPSTREAM);
        }
    }

    @Test
    @Order(6)
    void thePrunedImagePullsAgainThroughTheMirror() {
        // a restarted container gets another loopback port: wait on its address on the shared network
        ProvisionFixture.awaitHttp("http://" + upstream.ip() + ":5000/v2/", Duration.ofSeconds(30));
        ProvisionFixture.awaitHttp(mirrorUrl + "/v2/", Duration.ofSeconds(30));
        long before = volumeBytes();
        var pull = nodePull(BIG);
        assertThat(pull.code()).as("big again: %s%s", pull.out(), pull.err()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (volumeBytes() <= before + 5_000_000L && System.nanoTime() < deadline) {
            sleepQuietly();
        }
        assertThat(volumeBytes()).as("fetched from the upstream into the cache again").isGreaterThan(before + 5_000_000L);
    }

    @Test
    @Order(7)
    void usageCountsHitsAndMissesPerMirrorAndProject() {
        JsonNode mirror = mirrorRow(usage());
        JsonNode traffic = mirror.path("traffic");
        assertThat(traffic.path("misses").asLong()).as("warm and the re-pull fetched from upstream: %s", mirror)
                .isGreaterThanOrEqualTo(3);
        assertThat(traffic.path("hits").asLong()).as("demo's node pulls came from the cache: %s", mirror)
                .isGreaterThanOrEqualTo(2);
        assertThat(traffic.path("hitBytes").asLong()).isPositive();
        assertThat(traffic.path("missBytes").asLong()).isGreaterThan(5_000_000L);
        assertThat(traffic.path("projects").toString()).as("the node's pulls are the project's").contains(NAME);

        LoCli.Result text = lo.run(root, "registry", "usage", DOMAIN);
        assertThat(text.exitCode()).as("%s", text).isZero();
        assertThat(text.stdout()).contains("HITS", "MISSES", "SAVED");
    }
}
