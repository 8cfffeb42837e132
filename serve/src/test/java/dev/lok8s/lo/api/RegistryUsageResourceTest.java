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
    void anUnknownDomainIsABadParameterAndUnknownParametersAreRefused() {
        JsonPath problem = ApiResourceTest.problem(given().queryParam("domain", "nope.example")
                .get("/api/registries/usage"), 400);
        assertThat(problem.getString("parameter")).isEqualTo("domain");
        assertThat(ApiResourceTest.problem(given().get("/api/registries/usage?domian=x"), 400).getString("parameter"))
                .isEqualTo("domian");
    }
}
