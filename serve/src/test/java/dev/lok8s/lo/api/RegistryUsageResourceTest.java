package dev.lok8s.lo.api;

import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.MirrorStarted;
import dev.lok8s.lo.events.NetworkCreated;
import dev.lok8s.lo.events.NodeConnected;
import dev.lok8s.lo.events.RegistryStarted;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/registries/usage against the real Docker Engine: for projects the log records, from the log
 * alone (no spec anywhere), and for the never-provisioned test project of {@link RegistriesResourceTest}
 * from its spec: every registry listed, none present, so no size, catalog or pull. Nothing is created
 * on Docker.
 */
@QuarkusTest
@TestProfile(RegistriesResourceTest.Profile.class)
class RegistryUsageResourceTest {

    @Inject
    EventStore store;

    static boolean seeded;

    /** A project the log knows and no spec for it anywhere; test-only names Docker does not have. */
    @BeforeEach
    void seedTheLog() {
        if (seeded) {
            return;
        }
        seeded = true;
        EventMetadata meta = EventMetadata.local(null, "lo provision", "test");
        store.append("network-lotest-apiuse-registries", ExpectedVersion.ANY, List.of(new NetworkCreated(
                "use.logged", null, "lotest-apiuse-registries", "10.213.178.0/24", Scope.SHARED)), meta);
        store.append("project-lotest-apiuse-one", ExpectedVersion.ANY, List.of(
                new NetworkCreated("use.logged", "lotest-apiuse-one", "lotest-apiuse-one", "10.213.179.0/24",
                        Scope.PROJECT),
                new NodeConnected("use.logged", "lotest-apiuse-one", "lotest-apiuse-one-control-plane",
                        "lotest-apiuse-registries", null),
                new RegistryStarted("use.logged", "lotest-apiuse-one", "lotest-apiuse-one-registry-build", Role.BUILD,
                        "lotest-apiuse-one", "10.213.179.101", "registry:2", "h1", 14951),
                new RegistryStarted("use.logged", "lotest-apiuse-one", "lotest-apiuse-one-registry-cache", Role.CACHE,
                        "lotest-apiuse-one", "10.213.179.102", "registry:2", "h2", 14952),
                new MirrorStarted("use.logged", "lotest-apiuse-one", "lotest-apiuse-lok8s-registry-io-docker",
                        "io-docker", Scope.SHARED, "lotest-apiuse-registries", "10.213.178.2", "registry:2", "h3",
                        "https://registry-1.docker.io")), meta);
    }

    @Test
    void aDomainTheLogKnowsNeedsNoSpec() {
        var response = given().queryParam("domain", "use.logged").get("/api/registries/usage");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonPath usage = response.jsonPath();
        assertThat(usage.getString("project")).isEqualTo("lotest-apiuse-one");
        assertThat(usage.getString("domain")).isEqualTo("use.logged");
        assertThat(usage.getList("registries.container", String.class)).as("its own, then the shared mirrors")
                .containsExactly("lotest-apiuse-one-registry-build", "lotest-apiuse-one-registry-cache",
                        "lotest-apiuse-lok8s-registry-io-docker");
        assertThat(usage.getList("registries.name", String.class)).containsExactly("build", "cache", "io-docker");
        assertThat(usage.getList("registries.scope", String.class)).containsExactly("project", "project", "shared");
        assertThat(usage.getList("registries.ip", String.class))
                .containsExactly("10.213.179.101", "10.213.179.102", "10.213.178.2");
        assertThat(usage.getList("registries.volume", String.class)).containsExactly(
                "lotest-apiuse-one-registry-build-data", "lotest-apiuse-one-registry-cache-data",
                "lotest-apiuse-lok8s-registry-io-docker-data");
        assertThat(usage.getList("registries[2].usedBy", String.class)).containsExactly("lotest-apiuse-one");
        assertThat(usage.getList("registries.state", String.class)).as("live state from Docker")
                .containsOnly("missing");
        assertThat(usage.getList("registries.volumeBytes")).as("no volumes").containsOnlyNulls();
        assertThat(usage.getLong("totalBytes")).isZero();
    }

    @Test
    void withoutADomainEveryProjectTheLogRecords() {
        var response = given().get("/api/registries/usage");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonPath all = response.jsonPath();
        assertThat(all.getList("project", String.class)).as("one report per recorded project")
                .contains("lotest-apiuse-one");
        JsonPath one = new JsonPath(response.asString()).setRootPath("find { it.project == 'lotest-apiuse-one' }");
        assertThat(one.getString("domain")).isEqualTo("use.logged");
        assertThat(one.getList("registries.container", String.class)).hasSize(3);
    }

    @Test
    void usageOfAProjectNeverProvisioned() {
        var response = given().queryParam("domain", "api.example").get("/api/registries/usage");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonPath usage = response.jsonPath();
        assertThat(usage.getString("project")).isEqualTo("lotest-api");
        assertThat(usage.getList("registries.container", String.class)).containsExactly("lotest-api-registry-build",
                "lotest-api-registry-cache", "lotest-api-lok8s-registry-io-docker");
        assertThat(usage.getList("registries.scope", String.class)).containsExactly("project", "project", "shared");
        assertThat(usage.getList("registries.state", String.class)).containsOnly("missing");
        assertThat(usage.getList("registries.volumeBytes")).as("no volumes").containsOnlyNulls();
        assertThat(usage.getList("registries.repositories")).containsOnlyNulls();
        assertThat(usage.getLong("totalBytes")).isZero();
    }

    @Test
    void problemsDoNotShowTheServersPaths() throws Exception {
        String root = RegistriesResourceTest.Profile.ROOT.toString();
        // no spec for the domain
        JsonPath missing = ApiResourceTest.problem(given().queryParam("domain", "nope.example")
                .get("/api/registries/usage"), 400);
        assertThat(missing.getString("detail")).as("the problem of a domain without a spec")
                .doesNotContain(root).contains("clusters/nope.example/cluster.lok8s.yaml");
        // a spec that does not parse
        java.nio.file.Path bad = RegistriesResourceTest.Profile.ROOT.resolve("clusters/broken.example/cluster.lok8s.yaml");
        java.nio.file.Files.createDirectories(bad.getParent());
        java.nio.file.Files.writeString(bad, "apiVersion: lok8s.dev/v1\nkind: Cluster\nspec: [1\n");
        JsonPath broken = ApiResourceTest.problem(given().queryParam("domain", "broken.example")
                .get("/api/registries/usage"), 400);
        assertThat(broken.getString("detail")).as("the problem of a spec that does not parse")
                .doesNotContain(root).contains("clusters/broken.example/cluster.lok8s.yaml");
        JsonPath status = ApiResourceTest.problem(given().queryParam("domain", "nope.example").get("/api/registries"), 400);
        assertThat(status.getString("detail")).doesNotContain(root);
    }

    @Test
    void anUnknownDomainIsABadParameterAndUnknownParametersAreRefused() {
        JsonPath problem = ApiResourceTest.problem(given().queryParam("domain", "nope.example")
                .get("/api/registries/usage"), 400);
        assertThat(problem.getString("parameter")).isEqualTo("domain");
        assertThat(ApiResourceTest.problem(given().get("/api/registries/usage?domian=x"), 400).getString("parameter"))
                .isEqualTo("domian");
    }
}
