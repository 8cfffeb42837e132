package dev.lok8s.lo.api;

import dev.lok8s.lo.plan.MirrorMode;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.spec.SpecBuilder;
import dev.lok8s.lo.store.ExpectedVersion;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/registries against the real Docker Engine: for projects the log records, from the log
 * alone (no spec anywhere), and for a test-only project that has never been provisioned, from its
 * spec: the report is the one {@code lo registry status} prints. Nothing is created on Docker.
 */
@QuarkusTest
@TestProfile(RegistriesResourceTest.Profile.class)
class RegistriesResourceTest {

    public static class Profile implements QuarkusTestProfile {
        static final Path ROOT = Path.of("target", "lo-api-registries", Long.toString(System.currentTimeMillis()))
                .toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            SpecBuilder.named("lotest-api").networkCidr("10.213.190.0/24")
                    .sharedNetwork("lotest-api-registries", "10.213.191.0/24")
                    .mirrors("io-docker", "http://127.0.0.1:9001")
                    .writeProject(ROOT, "api.example");
            return Map.of("lo.state-dir", ROOT.resolve("store").toString(), "quarkus.http.host-enabled", "true",
                    "quarkus.http.test-port", "0", "lo.serve.project-dir", ROOT.toString(),
                    "lo.name-prefix", "lotest-api-");
        }
    }

    @Test
    void aProjectsRegistriesAsRegistryStatusReportsThem() {
        var response = given().queryParam("domain", "api.example").get("/api/registries");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonPath report = response.jsonPath();

        assertThat(report.getString("project")).isEqualTo("lotest-api");
        assertThat(report.getString("sharedNetwork.name")).isEqualTo("lotest-api-registries");
        assertThat(report.getBoolean("sharedNetwork.exists")).as("never provisioned").isFalse();
        assertThat(report.getList("projectRegistries.container", String.class))
                .containsExactly("lotest-api-registry-build", "lotest-api-registry-cache");
        assertThat(report.getList("projectRegistries.ip", String.class))
                .containsExactly("10.213.190.101", "10.213.190.102");
        assertThat(report.getList("shared.container", String.class)).containsExactly("lotest-api-lok8s-registry-io-docker");
        assertThat(report.getList("shared.ip", String.class)).containsExactly("10.213.191.2");
        assertThat(report.getList("projectRegistries.state", String.class)).as("nothing runs")
                .noneMatch("running"::equals);
    }

    @Inject
    EventStore store;

    static boolean seeded;

    /**
     * Two projects the log knows and no spec for either anywhere: what GET /api/registries answers
     * from the log alone. Test-only names that Docker does not have, so every registry is missing.
     */
    @BeforeEach
    void seedTheLog() {
        if (seeded) {
            return;
        }
        seeded = true;
        EventMetadata meta = EventMetadata.local(null, "lo provision", "test");
        store.append("network-lotest-apilog-registries", ExpectedVersion.ANY, List.of(new NetworkCreated(
                "one.logged", null, "lotest-apilog-registries", "10.213.193.0/24", Scope.SHARED)), meta);
        store.append("project-lotest-apilog-one", ExpectedVersion.ANY, List.of(
                new NetworkCreated("one.logged", "lotest-apilog-one", "lotest-apilog-one", "10.213.194.0/24",
                        Scope.PROJECT),
                new NodeConnected("one.logged", "lotest-apilog-one", "lotest-apilog-one-control-plane",
                        "lotest-apilog-registries", null),
                new RegistryStarted("one.logged", "lotest-apilog-one", "lotest-apilog-one-registry-build", Role.BUILD,
                        "lotest-apilog-one", "10.213.194.101", "registry:2", "h1", 14941),
                new RegistryStarted("one.logged", "lotest-apilog-one", "lotest-apilog-one-registry-cache", Role.CACHE,
                        "lotest-apilog-one", "10.213.194.102", "registry:2", "h2", 14942),
                new MirrorStarted("one.logged", "lotest-apilog-one", "lotest-apilog-lok8s-registry-io-docker",
                        "io-docker", Scope.SHARED, "lotest-apilog-registries", "10.213.193.2", "registry:2", "h3",
                        "https://registry-1.docker.io", MirrorMode.PROXY, "f".repeat(64))), meta);
        store.append("project-lotest-apilog-two", ExpectedVersion.ANY, List.of(
                new NetworkCreated("two.logged", "lotest-apilog-two", "lotest-apilog-two", "10.213.195.0/24",
                        Scope.PROJECT),
                new RegistryStarted("two.logged", "lotest-apilog-two", "lotest-apilog-two-registry-build", Role.BUILD,
                        "lotest-apilog-two", "10.213.195.101", "registry:2", "h4")), meta);
    }

    @Test
    void withoutADomainEveryProjectTheLogRecordsWithoutAnySpec() {
        var response = given().get("/api/registries");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonPath all = response.jsonPath();
        assertThat(all.getList("project", String.class)).as("one report per recorded project, by domain")
                .containsSubsequence("lotest-apilog-one", "lotest-apilog-two");
        JsonPath one = new JsonPath(response.asString()).setRootPath("find { it.project == 'lotest-apilog-one' }");
        assertThat(one.getString("domain")).isEqualTo("one.logged");
        assertThat(one.getInt("slot")).as("slot from the recorded subnet").isEqualTo(194);
        assertThat(one.getString("projectNetwork.cidr")).isEqualTo("10.213.194.0/24");
        assertThat(one.getBoolean("projectNetwork.exists")).as("Docker has no such network").isFalse();
        assertThat(one.getString("sharedNetwork.name")).isEqualTo("lotest-apilog-registries");
        assertThat(one.getList("projectRegistries.container", String.class))
                .containsExactly("lotest-apilog-one-registry-build", "lotest-apilog-one-registry-cache");
        assertThat(one.getList("projectRegistries.ip", String.class)).containsExactly("10.213.194.101", "10.213.194.102");
        assertThat(one.getList("projectRegistries.loggedState", String.class)).containsOnly("running");
        assertThat(one.getList("projectRegistries.pushAddress", String.class)).as("the ports RegistryStarted recorded")
                .containsExactly("localhost:14941", "localhost:14942");
        assertThat(one.getList("projectRegistries.state", String.class)).as("live state from Docker").containsOnly("missing");
        assertThat(one.getList("shared.name", String.class)).containsExactly("io-docker");
        assertThat(one.getList("shared.upstream", String.class)).containsExactly("https://registry-1.docker.io");
        assertThat(one.getList("shared[0].usedBy", String.class)).containsExactly("lotest-apilog-one");
        assertThat(one.getList("shared.upstreamLogin", String.class))
                .as("started with a login (its fingerprint recorded), but the log cannot say whether the upstream"
                        + " takes it: not looked up, null (docs/api.md)").containsExactly((String) null);
        assertThat(one.getList("shared.upstreamProblem", Object.class)).containsExactly((Object) null);
        assertThat(response.asString()).as("no fingerprint in the answer").doesNotContain("f".repeat(64));
        assertThat(one.getList("drift.kind", String.class)).as("the log says running, Docker has nothing")
                .containsOnly("MISSING_CONTAINER").hasSize(3);
        assertThat(one.getList("drift.fix", String.class)).containsOnly("lo registry up one.logged");
    }

    @Test
    void aDomainTheLogKnowsNeedsNoSpec() {
        var response = given().queryParam("domain", "two.logged").get("/api/registries");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonPath two = response.jsonPath();
        assertThat(two.getString("project")).isEqualTo("lotest-apilog-two");
        assertThat(two.getList("projectRegistries.container", String.class))
                .containsExactly("lotest-apilog-two-registry-build");
        assertThat(two.getList("projectRegistries.catalogUrl", String.class))
                .containsExactly("http://10.213.195.101/v2/_catalog");
        assertThat(two.getList("projectRegistries.pushAddress", String.class)).as("started before host ports")
                .containsExactly((String) null);
    }

    @Test
    void anUnknownDomainIsABadParameter() {
        var response = given().queryParam("domain", "nope.example").get("/api/registries");
        JsonPath problem = ApiResourceTest.problem(response, 400);
        assertThat(problem.getString("parameter")).isEqualTo("domain");
        assertThat(problem.getString("detail")).startsWith("domain: ").contains("nope.example");
    }

    @Test
    void unknownParametersAreRefused() {
        JsonPath problem = ApiResourceTest.problem(given().get("/api/registries?domian=api.example"), 400);
        assertThat(problem.getString("parameter")).isEqualTo("domian");
    }
}
