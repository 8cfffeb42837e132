package dev.lok8s.lo.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * GET /api/registries against the real Docker Engine, for a test-only project that has never
 * been provisioned: the report is the one {@code lo registry status} prints, every registry
 * planned and none present. Nothing is created on Docker.
 */
@QuarkusTest
@TestProfile(RegistriesResourceTest.Profile.class)
class RegistriesResourceTest {

    public static class Profile implements QuarkusTestProfile {
        static final Path ROOT = Path.of("target", "lo-api-registries", Long.toString(System.currentTimeMillis()))
                .toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path spec = ROOT.resolve("clusters/api.example/cluster.lok8s.yaml");
                Files.createDirectories(spec.getParent());
                Files.writeString(spec, """
                        apiVersion: cluster.lok8s.dev/v1beta1
                        kind: Lo
                        metadata:
                          name: lotest-api
                        spec:
                          network:
                            cidr: 10.213.190.0/24
                          registries:
                            shared:
                              network:
                                name: lotest-api-registries
                                cidr: 10.213.191.0/24
                            mirrors:
                              - {name: io-docker, url: "http://127.0.0.1:9001"}
                        """);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
