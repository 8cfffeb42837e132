package dev.lok8s.lo.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/registries/usage against the real Docker Engine, for the never-provisioned test project
 * of {@link RegistriesResourceTest}: every registry listed, none present, so no size, catalog or
 * pull. Nothing is created on Docker.
 */
@QuarkusTest
@TestProfile(RegistriesResourceTest.Profile.class)
class RegistryUsageResourceTest {

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
