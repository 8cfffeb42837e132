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
import java.util.Map;

import static dev.lok8s.lo.it.ProvisionFixture.ctr;
import static dev.lok8s.lo.it.ProvisionFixture.get;
import static dev.lok8s.lo.it.ProvisionFixture.networksOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared registries off: the mirror lives on the project network at .103 beside build and cache,
 * the node pulls through it, and a re-run changes nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectMirrorsIT {

    static final String ID = "pv-own";
    static final String DOMAIN = "q.pv.test";
    static final String NAME = "lotest-pv-q";
    static final String CIDR = "10.213.142.0/24";
    static final String MIRROR = NAME + "-registry-io-docker";
    static final String MIRROR_IP = "10.213.142.103";
    static final String NODE = NAME + "-control-plane";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    @TempDir
    static Path root;
    @TempDir
    static Path state;

    static ProvisionFixture fixture;

    @BeforeAll
    static void projectNetworkWithASeededUpstream() {
        LoCli lo = LoCli.forTest(ID, state);
        fixture = new ProvisionFixture(lo, root);
        fixture.createLoLikeNetwork(NAME, CIDR, false, NAME);
        var upstream = fixture.startSeededUpstream("lotest-pv-upstream-q", NAME, CIDR);
        fixture.writeSpec(DOMAIN, NAME, CIDR, null, null, upstream.mirrorUrl());
    }

    @Test
    @Order(1)
    void theMirrorRunsOnTheProjectNetworkAndNoSharedNetworkIsInvolved() {
        JsonNode run = fixture.provision(0, DOMAIN);

        JsonNode steps = run.path("steps");
        assertThat(steps.path("network:" + NAME).asText()).as("the test's project network").isEqualTo("adopted");
        assertThat(steps.path("registry:" + MIRROR).asText()).as("the project mirror").isEqualTo("created");
        assertThat(steps.fieldNames()).toIterable().as("steps").noneMatch(s -> s.startsWith("connect:"));
        assertThat(run.path("warnings")).as("warnings").isEmpty();
        assertThat(networksOf(MIRROR)).as("mirror networks").containsExactly(Map.entry(NAME, MIRROR_IP));
        assertThat(networksOf(NODE)).as("the node is on the project network only").containsOnlyKeys(NAME);
    }

    @Test
    @Order(2)
    void reRunningChangesNothing() {
        Map<String, String> before = fixture.containerIds();

        JsonNode run = fixture.provision(0, DOMAIN);

        assertThat(fixture.containerIds()).as("same containers, same ids").isEqualTo(before);
        Map<String, String> outcomes = fixture.stepOutcomes(run.path("runId").asText());
        assertThat(outcomes).as("StepCompleted of the second run").hasSize(run.path("steps").size())
                .containsKeys("registry:" + MIRROR, "cluster:" + NAME, "verify");
        assertThat(outcomes.values()).as("every outcome of the second run %s", outcomes).containsOnly("unchanged");
    }

    @Test
    @Order(3)
    void theNodePullsThroughTheProjectMirror() {
        var pull = ctr(NODE, "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", "docker.io/library/demo:1");
        assertThat(pull.code()).as("pull through the project mirror: %s", pull.err()).isZero();
        assertThat(get("http://" + MIRROR_IP + "/v2/_catalog")).as("mirror catalog").contains("library/demo");
    }
}
