package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.lok8s.lo.it.ProvisionFixture.ctr;
import static dev.lok8s.lo.it.ProvisionFixture.get;
import static dev.lok8s.lo.it.ProvisionFixture.networksOf;
import static dev.lok8s.lo.it.TestDocker.docker;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The multi-project workflow of the shared registries, on the real Docker Engine and through a
 * real containerd: project A creates the shared mirror on a network the test made (with its
 * seeded upstream), a re-run changes nothing, a node pulls through the mirror and round-trips an
 * image through the build registry, project B reuses the mirror, and a spec asking for another
 * shared subnet is refused from the log alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedRegistriesIT {

    static final String ID = "pv-shared";
    static final String SHARED = "lotest-pv-registries-1";
    static final String SHARED_CIDR = "10.213.149.0/24";
    static final String MIRROR = "lotest-" + ID + "-lok8s-registry-io-docker";
    static final String MIRROR_IP = "10.213.149.2";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    static final Project A = new Project("a.pv.test", "lotest-pv-a", "10.213.140.0/24");
    static final Project B = new Project("b.pv.test", "lotest-pv-b", "10.213.141.0/24");
    /** Asks for another subnet of the shared network; never reaches Docker. */
    static final Project C = new Project("c.pv.test", "lotest-pv-c", "10.213.146.0/24");
    static final String OTHER_SHARED_CIDR = "10.213.148.0/24";

    record Project(String domain, String name, String cidr) {
        String node() {
            return name + "-control-plane";
        }

        String build() {
            return name + "-registry-build";
        }

        String buildIp() {
            return ProvisionFixture.host(cidr, "101");
        }
    }

    @TempDir
    static Path root;
    @TempDir
    static Path state;

    static LoCli lo;
    static ProvisionFixture fixture;
    static ProvisionFixture.Upstream upstream;

    @BeforeAll
    static void sharedNetworkWithASeededUpstream() {
        lo = LoCli.forTest(ID, state);
        fixture = new ProvisionFixture(lo, root);
        fixture.createLoLikeNetwork(SHARED, SHARED_CIDR, true, null);
        upstream = fixture.startSeededUpstream("lotest-pv-upstream-1", SHARED, SHARED_CIDR);
        for (Project p : List.of(A, B)) {
            fixture.writeSpec(p.domain(), p.name(), p.cidr(), SHARED, SHARED_CIDR, upstream.mirrorUrl());
        }
        fixture.writeSpec(C.domain(), C.name(), C.cidr(), SHARED, OTHER_SHARED_CIDR, upstream.mirrorUrl());
    }

    @Test
    @Order(1)
    void theFirstProjectCreatesTheSharedMirrorOnTheExistingNetworkAndConnectsItsNodes() {
        JsonNode run = fixture.provision(0, A.domain());

        JsonNode steps = run.path("steps");
        assertThat(steps.path("network:" + SHARED).asText()).as("the test's shared network is adopted").isEqualTo("adopted");
        assertThat(steps.path("network:" + A.name()).asText()).as("A's network").isEqualTo("created");
        assertThat(steps.path("registry:" + MIRROR).asText()).as("the shared mirror").isEqualTo("created");
        assertThat(steps.path("connect:" + SHARED).asText()).as("A's node joins the shared network").isEqualTo("created");
        assertThat(run.path("warnings")).as("warnings (a mirror answers only when its upstream does)").isEmpty();

        assertThat(docker("inspect", MIRROR, "--format", "{{.State.Status}} {{index .Config.Labels \"dev.lok8s.scope\"}}"))
                .as("the mirror runs, labelled shared").isEqualTo("running shared");
        assertThat(networksOf(MIRROR)).as("the mirror's networks").containsExactly(Map.entry(SHARED, MIRROR_IP));
        assertThat(networksOf(A.node())).as("A's node is on its own and the shared network")
                .containsOnlyKeys(A.name(), SHARED);
        assertThat(networksOf(A.build())).as("build stays on the project network")
                .containsExactly(Map.entry(A.name(), A.buildIp()));
    }

    @Test
    @Order(2)
    void reRunningChangesNothing() {
        Map<String, String> before = fixture.containerIds();

        JsonNode run = fixture.provision(0, A.domain());

        assertThat(fixture.containerIds()).as("same containers, same ids").isEqualTo(before);
        Map<String, String> outcomes = fixture.stepOutcomes(run.path("runId").asText());
        assertThat(outcomes).as("StepCompleted of the second run").hasSize(run.path("steps").size())
                .containsKeys("check-subnets", "network:" + SHARED, "registry:" + MIRROR, "cluster:" + A.name(),
                        "connect:" + SHARED, "verify");
        assertThat(outcomes.values()).as("every outcome of the second run %s", outcomes).containsOnly("unchanged");
    }

    @Test
    @Order(3)
    void aNodePullsThroughTheSharedMirror() {
        // The empty catalog before and the cached repository after prove the pull went through the
        // mirror; a pull without the certs.d tree is not tried, as it would reach for docker.io.
        assertThat(get("http://" + MIRROR_IP + "/v2/_catalog")).as("mirror catalog before").doesNotContain("library/demo");

        var viaMirror = ctr(A.node(), "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", "docker.io/library/demo:1");
        assertThat(viaMirror.code()).as("pull through the mirror: %s%s", viaMirror.out(), viaMirror.err()).isZero();
        assertThat(get("http://" + MIRROR_IP + "/v2/_catalog")).as("the mirror fetched and cached it")
                .contains("library/demo");
    }

    @Test
    @Order(4)
    void anImagePushedToTheBuildRegistryIsPulledAsLok8sLocal() {
        String node = A.node();
        String hosts = "/etc/containerd/certs.d";
        assertThat(ctr(node, "images", "tag", "docker.io/library/demo:1", "lok8s.local/app:1").code()).as("tag").isZero();
        var push = ctr(node, "images", "push", "--hosts-dir", hosts, "lok8s.local/app:1");
        assertThat(push.code()).as("push to build via hosts.toml: %s", push.err()).isZero();
        assertThat(get("http://" + A.buildIp() + "/v2/_catalog")).as("build registry catalog").contains("\"app\"");

        assertThat(ctr(node, "images", "rm", "lok8s.local/app:1").code()).as("rm").isZero();
        assertThat(ctr(node, "images", "ls", "-q").out()).as("gone locally").doesNotContain("lok8s.local/app:1");

        var pull = ctr(node, "images", "pull", "--hosts-dir", hosts, "lok8s.local/app:1");
        assertThat(pull.code()).as("pull back from build: %s", pull.err()).isZero();
        assertThat(ctr(node, "images", "ls", "-q").out()).as("images in the node").contains("lok8s.local/app:1");
    }

    @Test
    @Order(5)
    void theSecondProjectReusesTheSharedMirrorAndJoinsItsNetwork() {
        Map<String, String> before = fixture.containerIds();

        JsonNode run = fixture.provision(0, B.domain());
        String runId = run.path("runId").asText();

        Map<String, String> after = fixture.containerIds();
        assertThat(after.get(MIRROR)).as("the same mirror container").isEqualTo(before.get(MIRROR));
        assertThat(after.keySet()).as("new containers are B's own only")
                .containsAll(before.keySet())
                .containsExactlyInAnyOrderElementsOf(union(before.keySet(),
                        List.of(B.node(), B.build(), B.name() + "-registry-cache")));

        List<JsonNode> events = fixture.history("--run", runId);
        assertThat(types(events)).as("B's events").contains("NetworkAdopted", "NodeConnected")
                .doesNotContain("MirrorStarted");
        assertThat(events).as("B adopted the shared network").anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("NetworkAdopted");
            assertThat(e.path("payload").path("network").asText()).isEqualTo(SHARED);
            assertThat(e.path("payload").path("project").asText()).isEqualTo(B.name());
        });
        assertThat(events).as("no NetworkCreated for the shared network").noneSatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("NetworkCreated");
            assertThat(e.path("payload").path("network").asText()).isEqualTo(SHARED);
        });
        assertThat(events).as("B's node connected to the existing shared network").anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("NodeConnected");
            assertThat(e.path("payload").path("node").asText()).isEqualTo(B.node());
            assertThat(e.path("payload").path("network").asText()).isEqualTo(SHARED);
        });
        Map<String, String> outcomes = fixture.stepOutcomes(runId);
        assertThat(outcomes).as("B's steps").containsEntry("network:" + SHARED, "adopted")
                .containsEntry("registry:" + MIRROR, "unchanged")
                .containsEntry("connect:" + SHARED, "created");

        assertThat(networksOf(B.node())).as("B's node networks").containsOnlyKeys(B.name(), SHARED);
        var pull = ctr(B.node(), "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", "docker.io/library/demo:1");
        assertThat(pull.code()).as("B pulls through the shared mirror: %s", pull.err()).isZero();
    }

    @Test
    @Order(6)
    void aSpecAskingAnotherSharedSubnetIsRefusedFromTheLogBeforeDocker() {
        Map<String, String> before = fixture.containerIds();
        LoCli.Result result;
        try {
            // An unreachable engine proves the refusal comes from the log: Docker is never asked.
            lo.env("DOCKER_HOST", "unix:///tmp/lotest-pv-nonexistent.sock");
            result = lo.run(root, "provision", C.domain());
        } finally {
            lo.env("DOCKER_HOST", null);
        }

        assertThat(result.exitCode()).as("refused\n%s", result).isEqualTo(2);
        assertThat(result.stderr().lines().toList()).as("stderr").containsSubsequence(
                "error: registry network '" + SHARED + "' exists with subnet " + SHARED_CIDR + ", expected "
                        + OTHER_SHARED_CIDR,
                "fix: align spec.registries.shared.network.cidr with the existing network, or run: "
                        + "lo registry clean --shared && lo provision " + C.domain());
        assertThat(fixture.containerIds()).as("nothing created").isEqualTo(before);
        assertThat(TestDocker.exec("network", "inspect", C.name()).code()).as("no network for C").isNotZero();

        JsonNode latest = fixture.latestRun();
        assertThat(latest.path("status").asText()).as("the attempt is recorded").isEqualTo("rejected");
        assertThat(latest.path("domain").asText()).as("its domain").isEqualTo(C.domain());
        List<JsonNode> detected = fixture.history("--type", "SubnetMismatchDetected", "--domain", C.domain());
        assertThat(detected).as("SubnetMismatchDetected").singleElement().satisfies(e -> {
            assertThat(e.path("payload").path("network").asText()).as("network").isEqualTo(SHARED);
            assertThat(e.path("payload").path("existingCidr").asText()).as("existing").isEqualTo(SHARED_CIDR);
            assertThat(e.path("payload").path("expectedCidr").asText()).as("expected").isEqualTo(OTHER_SHARED_CIDR);
        });
        // TODO(registry clean): `lo registry clean --shared && lo provision c.pv.test` should fix this; the
        // command is not on main yet. Removing the network with the docker CLI would not: the log still records it.
    }

    @Test
    @Order(7)
    void destroyingProjectALeavesBAndTheSharedMirrorWorking() {
        LoCli.Result help = lo.run(root, "--help");
        Assumptions.assumeTrue(help.stdout().lines().anyMatch(l -> l.strip().startsWith("destroy ")),
                "TODO: lo destroy is not on main yet");
        Map<String, String> before = fixture.containerIds();

        LoCli.Result destroy = lo.run(root, "destroy", A.domain());
        assertThat(destroy.exitCode()).as("lo destroy %s\n%s", A.domain(), destroy).isZero();

        Map<String, String> after = fixture.containerIds();
        assertThat(after).as("A's node and registries are gone").doesNotContainKeys(A.node(), A.build());
        assertThat(after.get(MIRROR)).as("the shared mirror is untouched").isEqualTo(before.get(MIRROR));
        assertThat(after.get(B.node())).as("B's node is untouched").isEqualTo(before.get(B.node()));
        ctr(B.node(), "images", "rm", "docker.io/library/demo:1");
        var pull = ctr(B.node(), "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", "docker.io/library/demo:1");
        assertThat(pull.code()).as("B still pulls through the shared mirror: %s", pull.err()).isZero();
        JsonNode rerun = fixture.provision(0, B.domain());
        assertThat(fixture.stepOutcomes(rerun.path("runId").asText()).values()).as("B needs nothing")
                .containsOnly("unchanged");
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    private static List<String> union(java.util.Collection<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
