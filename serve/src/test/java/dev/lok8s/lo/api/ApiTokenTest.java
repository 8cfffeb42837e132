package dev.lok8s.lo.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Bound beyond loopback with a token: every path, the API and /q alike, wants the bearer token. */
@QuarkusTest
@TestProfile(ApiTokenTest.NonLoopbackWithToken.class)
class ApiTokenTest {

    static final String TOKEN = "s3cret-t0ken-for-the-test-0123456789abcdef";

    public static class NonLoopbackWithToken implements QuarkusTestProfile {
        static final Path DIR = Path.of("target", "lo-api-token-store", Long.toString(System.currentTimeMillis()))
                .toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("lo.state-dir", DIR.toString(), "quarkus.http.host-enabled", "true",
                    "quarkus.http.test-port", "0", "quarkus.http.host", "0.0.0.0", "lo.serve.token", TOKEN);
        }
    }

    @Test
    void requestsWithoutTheTokenAre401ProblemsWithAChallenge() {
        for (String path : new String[] {"/api/runs", "/api/history", "/api/events/stream", "/q/health", "/q/metrics",
                "/q/openapi"}) {
            Response r = given().get(path);
            ApiResourceTest.problem(r, 401);
            assertThat(r.header("WWW-Authenticate")).as(path).isEqualTo("Bearer realm=\"lo\"");
        }
    }

    @Test
    void aWrongTokenOrSchemeIs401() {
        ApiResourceTest.problem(given().header("Authorization", "Bearer " + TOKEN + "x").get("/api/runs"), 401);
        ApiResourceTest.problem(given().header("Authorization", "Bearer " + TOKEN.substring(1)).get("/api/runs"), 401);
        ApiResourceTest.problem(given().header("Authorization", "Basic " + TOKEN).get("/api/runs"), 401);
        ApiResourceTest.problem(given().header("Authorization", TOKEN).get("/api/runs"), 401);
    }

    @Test
    void theRightTokenIsLetIn() {
        assertThat(given().header("Authorization", "Bearer " + TOKEN).get("/api/runs").statusCode()).isEqualTo(200);
        assertThat(given().header("Authorization", "bearer " + TOKEN).get("/q/health/ready").statusCode())
                .as("the scheme is case-insensitive").isEqualTo(200);
    }

    @Test
    void thePageItselfNeedsNoTokenItsDataDoes() {
        for (String path : new String[] {"/", "/index.html", "/page/app.js", "/page/api.js", "/page/app.css"}) {
            Response r = given().get(path);
            assertThat(r.statusCode()).as(path + ": holds no data, and a browser cannot send the token to open it")
                    .isEqualTo(200);
            assertThat(r.header("Content-Security-Policy")).as(path).isEqualTo(PageAssets.CONTENT_SECURITY_POLICY);
        }
        assertThat(given().get("/page/no-such-file").statusCode()).isEqualTo(404);
        ApiResourceTest.problem(given().get("/page/../api/runs"), 401);
        ApiResourceTest.problem(given().post("/"), 401);
        ApiResourceTest.problem(given().get("/api/registries"), 401);
    }
}
