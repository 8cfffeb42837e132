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
import java.util.Map;

import static dev.lok8s.lo.it.TestDocker.docker;
import static dev.lok8s.lo.it.TestDocker.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input and hostile machine states, against the real engine: each is refused or fails with one
 * clear line naming the resource and the fix, the right exit code, a recorded run that
 * {@code lo runs show} explains, and nothing of anyone else's touched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisionRefusalsIT {

    static final String ID = "pv-refuse";
    static final String SHARED = "lotest-pv-registries-2";
    static final String SHARED_CIDR = "10.213.147.0/24";
    static final String WRONG_SHARED_CIDR = "10.213.146.0/24";
    static final String UPSTREAM_URL = "http://" + ProvisionFixture.host(SHARED_CIDR, ProvisionFixture.UPSTREAM_OFFSET)
            + ":5000";
    static final String NO_ENGINE = "unix:///tmp/lotest-pv-nonexistent.sock";

    @RegisterExtension
    static final DockerCleanup DOCKER = DockerCleanup.forTest(ID);

    static final String M = "lotest-pv-m";
    static final String M_DOMAIN = "m.pv.test";
    static final String N = "lotest-pv-n";
    static final String N_DOMAIN = "n.pv.test";
    static final String O = "lotest-pv-o";
    static final String O_DOMAIN = "o.pv.test";
    static final String O_CIDR = "10.213.145.0/24";
    static final String P = "lotest-pv-p";
    static final String P_DOMAIN = "p.pv.test";

    @TempDir
    static Path root;
    @TempDir
    static Path state;

    static LoCli lo;
    static ProvisionFixture fixture;

    @BeforeAll
    static void specs() {
        lo = LoCli.forTest(ID, state);
        fixture = new ProvisionFixture(lo, root);
        fixture.writeSpec(M_DOMAIN, M, "10.213.143.0/24", SHARED, SHARED_CIDR, UPSTREAM_URL);
        fixture.writeSpec(N_DOMAIN, N, "10.213.144.0/24", SHARED, SHARED_CIDR, UPSTREAM_URL);
        fixture.writeSpec(O_DOMAIN, O, O_CIDR, SHARED, SHARED_CIDR, UPSTREAM_URL);
    }

    @Test
    @Order(1)
    void aSpecErrorIsRejectedWithOneLinePerErrorAndNothingOnDocker() {
        fixture.writeSpec("bad.pv.test", "lotest-pv-bad", "10.213.300.0/24", SHARED, "10.213.147.0/33", UPSTREAM_URL);

        LoCli.Result result = lo.run(root, "provision", "bad.pv.test");

        assertThat(result.exitCode()).as("invalid spec\n%s", result).isEqualTo(2);
        List<String> lines = result.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("one line per error").hasSize(2);
        assertThat(lines.get(0)).as("first error").startsWith("error: ").contains("spec.network.cidr: ")
                .contains("10.213.300.0");
        assertThat(lines.get(1)).as("second error").contains("spec.registries.shared.network.cidr: ")
                .contains("10.213.147.0/33");
        JsonNode run = fixture.latestRun();
        assertThat(run.path("status").asText()).as("a RunRejected is recorded").isEqualTo("rejected");
        assertThat(run.path("domain").asText()).as("its domain").isEqualTo("bad.pv.test");
        assertThat(fixture.containerIds()).as("no container").isEmpty();
        assertThat(TestDocker.networks(fixture.testLabel())).as("no network").isEmpty();
    }

    @Test
    @Order(2)
    void aSharedNetworkWithAnotherSubnetIsRefusedBeforeAnyChangeAndRecreatingItFixesIt() {
        fixture.createLoLikeNetwork(SHARED, WRONG_SHARED_CIDR, true, null);

        LoCli.Result result = lo.run(root, "provision", M_DOMAIN);

        assertThat(result.exitCode()).as("refused\n%s", result).isEqualTo(2);
        assertThat(result.stderr().lines().toList()).as("stderr").containsSubsequence(
                "error: registry network '" + SHARED + "' exists with subnet " + WRONG_SHARED_CIDR + ", expected "
                        + SHARED_CIDR,
                "fix: align spec.registries.shared.network.cidr with the existing network, or run: "
                        + "lo registry clean --shared && lo provision " + M_DOMAIN);
        assertThat(fixture.containerIds()).as("no container").isEmpty();
        assertThat(exec("network", "inspect", M).code()).as("no project network").isNotZero();
        assertThat(Files.exists(root.resolve("clusters").resolve(M_DOMAIN).resolve(".containerd")))
                .as("no certs.d written").isFalse();
        JsonNode run = fixture.latestRun();
        assertThat(run.path("status").asText()).as("recorded").isEqualTo("failed");
        assertThat(run.path("failedStep").asText()).as("failed step").isEqualTo("check-subnets");
        assertThat(fixture.runsShow(run.path("runId").asText()).stdout()).as("lo runs show")
                .contains("failed at step check-subnets").contains("exists with subnet " + WRONG_SHARED_CIDR);

        // TODO(registry clean): the documented fix is `lo registry clean --shared`; not on main yet, so the
        // test removes the network with the docker CLI and recreates it, with its upstream, at the right subnet.
        docker("network", "rm", SHARED);
        fixture.createLoLikeNetwork(SHARED, SHARED_CIDR, true, null);
        fixture.startSeededUpstream("lotest-pv-upstream-2", SHARED, SHARED_CIDR);

        JsonNode fixed = fixture.provision(0, M_DOMAIN);
        assertThat(fixed.path("steps").path("network:" + SHARED).asText()).as("shared network").isEqualTo("adopted");
        assertThat(fixed.path("warnings")).as("warnings").isEmpty();
    }

    @Test
    @Order(3)
    void anUnreachableEngineIsOneLineExitThreeAndARecordedFailure() {
        LoCli.Result result;
        try {
            lo.env("DOCKER_HOST", NO_ENGINE);
            result = lo.run(root, "provision", M_DOMAIN);
        } finally {
            lo.env("DOCKER_HOST", null);
        }

        assertThat(result.exitCode()).as("engine unavailable\n%s", result).isEqualTo(3);
        assertThat(result.stderr().lines().filter(l -> l.startsWith("error: ")).toList()).as("the error")
                .singleElement().asString().contains("cannot reach the Docker Engine at " + NO_ENGINE)
                .contains("DOCKER_HOST");
        assertThat(result.stderr()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        JsonNode run = fixture.latestRun();
        assertThat(run.path("status").asText()).as("recorded").isEqualTo("failed");
        assertThat(run.path("domain").asText()).as("domain").isEqualTo(M_DOMAIN);
        assertThat(fixture.runsShow(run.path("runId").asText()).stdout()).as("lo runs show")
                .contains("failed at step").contains("cannot reach the Docker Engine");
    }

    @Test
    @Order(4)
    void aContainerNameTakenByAForeignContainerIsRefusedAndLeftAlone() {
        String name = N + "-registry-build";
        String foreign = docker("run", "-d", "--name", name, "--label", fixture.testLabel(),
                "lok8s.local/test-busybox:1", "sleep", "600");

        LoCli.Result result = lo.run(root, "provision", N_DOMAIN);

        assertThat(result.exitCode()).as("refused\n%s", result).isEqualTo(2);
        assertThat(result.stderr().lines().filter(l -> l.startsWith("error: ")).toList()).as("the error")
                .singleElement().asString()
                .contains("container name '" + name + "' is taken by a container lo did not create")
                .contains("docker rm -f " + name);
        assertThat(docker("inspect", name, "--format", "{{.Id}} {{.State.Status}} {{.Config.Image}}"))
                .as("the foreign container is untouched").isEqualTo(foreign + " running lok8s.local/test-busybox:1");
        assertThat(docker("inspect", name, "--format", "{{index .Config.Labels \"dev.lok8s.managed-by\"}}"))
                .as("and still not lo's").isEmpty();
        JsonNode run = fixture.latestRun();
        assertThat(run.path("failedStep").asText()).as("failed step").isEqualTo("registry:" + name);
        assertThat(fixture.runsShow(run.path("runId").asText()).stdout()).as("lo runs show")
                .contains("failed at step registry:" + name).contains("is taken by a container lo did not create");
    }

    @Test
    @Order(5)
    void anAddressTakenByAForeignContainerIsRefusedAndNamed() {
        String squatter = "lotest-pv-squatter";
        String ip = ProvisionFixture.host(O_CIDR, "101");
        fixture.createLoLikeNetwork(O, O_CIDR, false, O);
        String id = docker("run", "-d", "--name", squatter, "--label", fixture.testLabel(), "--network", O, "--ip", ip,
                "lok8s.local/test-busybox:1", "sleep", "600");

        LoCli.Result result = lo.run(root, "provision", O_DOMAIN);

        assertThat(result.exitCode()).as("refused\n%s", result).isEqualTo(2);
        assertThat(result.stderr().lines().filter(l -> l.startsWith("error: ")).toList()).as("the error")
                .singleElement().asString()
                .contains("address " + ip + " on network '" + O + "' is taken by container '" + squatter + "'")
                .contains(O + "-registry-build");
        assertThat(exec("inspect", O + "-registry-build").code()).as("no build registry").isNotZero();
        assertThat(docker("inspect", squatter, "--format", "{{.Id}} {{.State.Status}}"))
                .as("the squatter is untouched").isEqualTo(id + " running");
        assertThat(ProvisionFixture.networksOf(squatter)).as("still at its address").containsEntry(O, ip);
        JsonNode run = fixture.latestRun();
        assertThat(fixture.runsShow(run.path("runId").asText()).stdout()).as("lo runs show")
                .contains("failed at step registry:" + O + "-registry-build").contains(squatter);
    }

    @Test
    @Order(6)
    void aRegistryImageThatCannotBeHadIsAClearFailureAndChangesNoContainer() {
        Map<String, String> before = fixture.containerIds();
        LoCli.Result result;
        try {
            lo.env("LO_REGISTRY_IMAGE", "127.0.0.1:1/nope:1");
            result = lo.run(root, "provision", M_DOMAIN);
        } finally {
            lo.env("LO_REGISTRY_IMAGE", LoCli.REGISTRY_IMAGE);
        }

        assertThat(result.exitCode()).as("failed\n%s", result).isEqualTo(1);
        assertThat(result.stderr().lines().filter(l -> l.startsWith("error: ")).toList()).as("the error")
                .singleElement().asString()
                .startsWith("error: registry image '127.0.0.1:1/nope:1' is not present and cannot be pulled")
                .contains("LO_REGISTRY_IMAGE");
        assertThat(result.stderr()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(fixture.containerIds()).as("no container replaced").isEqualTo(before);
        JsonNode run = fixture.latestRun();
        assertThat(run.path("status").asText()).as("recorded").isEqualTo("failed");
        assertThat(run.path("failedStep").asText()).as("failed step").isEqualTo("image:127.0.0.1:1/nope:1");
        assertThat(fixture.runsShow(run.path("runId").asText()).stdout()).as("lo runs show")
                .contains("failed at step image:127.0.0.1:1/nope:1").contains("cannot be pulled");
    }

    /**
     * kind made a cluster whose node containers lo cannot find (its podman provider does that; the stand-in
     * kind labels them under another key): the connect step is refused with what lo could not see and what
     * to do, exit 2, recorded; not a crash.
     */
    @Test
    @Order(7)
    void aClusterWhoseNodesLoCannotSeeIsRefusedWithItsReason() {
        fixture.writeSpec(P_DOMAIN, P, "10.213.165.0/24", SHARED, SHARED_CIDR, UPSTREAM_URL);
        LoCli.Result result;
        try {
            lo.env("LO_TEST_KIND_CLUSTER_LABEL", "dev.lok8s.test.elsewhere");
            result = lo.run(root, "provision", P_DOMAIN);
        } finally {
            lo.env("LO_TEST_KIND_CLUSTER_LABEL", "io.x-k8s.kind.cluster");
        }

        assertThat(result.exitCode()).as("refused\n%s", result).isEqualTo(2);
        assertThat(result.stderr()).as("no crash").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(result.stderr().lines().filter(l -> l.startsWith("error: ")).toList()).as("the error")
                .singleElement().asString()
                .contains("kind cluster '" + P + "' has no node containers lo can see")
                .contains("io.x-k8s.kind.cluster=" + P);
        assertThat(result.stderr().lines().filter(l -> l.startsWith("fix: ")).toList()).as("the fix")
                .singleElement().asString().contains("kind delete cluster --name " + P);
        assertThat(TestDocker.containers("dev.lok8s.test.id=" + ID)).as("the nodes kind made, under another label")
                .contains(P + "-control-plane");
        JsonNode run = fixture.latestRun();
        assertThat(run.path("failedStep").asText()).as("failed step").isEqualTo("connect:" + SHARED);
        assertThat(fixture.runsShow(run.path("runId").asText()).stdout()).as("lo runs show")
                .contains("failed at step connect:" + SHARED).contains("has no node containers lo can see");
    }
}
