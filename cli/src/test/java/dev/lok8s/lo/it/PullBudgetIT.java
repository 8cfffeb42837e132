package dev.lok8s.lo.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lok8s.lo.spec.SpecBuilder;
import dev.lok8s.lo.upstream.RateLimitedUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.lok8s.lo.it.ProvisionFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pull budget as the packaged lo shows it: a project whose mirror's upstream is a fake on 127.0.0.1
 * that counts pulls as Docker Hub does ({@link RateLimitedUpstream}: a token service, a manifest HEAD answered
 * with {@code ratelimit-*} headers per identity). Without a login lo reads the anonymous budget; with a login
 * in a Docker configuration the test writes, the user's (so the check runs as the mirror's identity), and warns
 * when it is below 10 %. {@code lo registry usage} and {@code lo registry status}, text and JSON, show the
 * figures; the manifest is only ever asked with HEAD (no pull counted); the secret is in no output and no
 * event is recorded for the check. Nothing is created on Docker: the project is never provisioned.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PullBudgetIT {

    static final String ID = "budget";
    static final String DOMAIN = "b.budget.test";
    static final String NAME = "lotest-budget";
    static final String CIDR = "10.213.198.0/24";
    static final String MIRROR = NAME + "-registry-io-docker";
    static final String USER = "lotestbudget";
    static final String SECRET = "lotest-budget-secret-" + UUID.randomUUID();

    @TempDir
    static Path root;
    @TempDir
    static Path state;
    @TempDir
    static Path files;

    static LoCli lo;
    static RateLimitedUpstream upstream;
    static Path dockerConfig;
    static final List<String> outputs = new ArrayList<>();

    @BeforeAll
    static void aProjectWhoseMirrorPullsFromARateLimitedUpstream() throws IOException {
        upstream = RateLimitedUpstream.start(USER, SECRET, Map.of(
                "anonymous", new String[]{"100;w=21600", "76;w=21600"},
                USER, new String[]{"200;w=21600", "7;w=21600"}));
        dockerConfig = Files.createDirectories(files.resolve("docker-config"));
        lo = LoCli.forTest(ID, state).env("DOCKER_CONFIG", dockerConfig.toString());
        SpecBuilder.named(NAME).network(NAME, CIDR).shared(false).mirrors("io-docker", upstream.url())
                .writeProject(root, DOMAIN);
    }

    @AfterAll
    static void stopTheUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    static LoCli.Result run(String... args) {
        LoCli.Result result = lo.run(root, args);
        outputs.add(String.join(" ", args) + "\n" + result.stdout() + "\n" + result.stderr());
        assertThat(result.exitCode()).as("lo %s\n%s", String.join(" ", args), result).isZero();
        return result;
    }

    static JsonNode mirror(JsonNode registries) {
        for (JsonNode r : registries) {
            if (r.path("container").asText().equals(MIRROR)) {
                return r;
            }
        }
        throw new AssertionError("no " + MIRROR + " in " + registries);
    }

    @Test
    @Order(1)
    void withoutALoginTheAnonymousBudgetIsShown() {
        LoCli.Result usage = run("registry", "usage", DOMAIN);
        assertThat(usage.stdout()).as("usage text").contains("Pull budget")
                .containsPattern("io-docker +" + upstream.server().replace(".", "\\.") + " +76 +100 +6h +anonymous");
        assertThat(usage.stderr()).as("no warning at 76 %%").doesNotContain("pulls left");

        JsonNode budget = mirror(json(run("registry", "usage", DOMAIN, "-o", "json").stdout()).path("registries"))
                .path("pullBudget");
        assertThat(budget.path("state").asText()).isEqualTo("reported");
        assertThat(budget.path("limit").asLong()).isEqualTo(100);
        assertThat(budget.path("remaining").asLong()).isEqualTo(76);
        assertThat(budget.path("windowSeconds").asLong()).isEqualTo(21600);
        assertThat(budget.path("low").asBoolean()).isFalse();
        assertThat(budget.has("user")).as("anonymous").isFalse();

        LoCli.Result status = run("registry", "status", DOMAIN);
        assertThat(status.stdout()).as("status text")
                .contains(MIRROR + ": pull budget 76 of 100 pulls left (per 6h, anonymous)");
        JsonNode statusBudget = mirror(json(run("registry", "status", DOMAIN, "-o", "json").stdout())
                .path("projectRegistries")).path("pullBudget");
        assertThat(statusBudget.path("remaining").asLong()).isEqualTo(76);
        assertThat(statusBudget.path("upstream").asText()).isEqualTo(upstream.server());
    }

    @Test
    @Order(2)
    void withALoginTheMirrorsOwnBudgetIsShownAndALowOneWarnsWithWhatToDo() throws IOException {
        Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"" + upstream.server() + "\":{\"auth\":\""
                + UpstreamLoginsIT.base64(USER + ":" + SECRET) + "\"}}}");
        int before = upstream.requests().size();

        LoCli.Result usage = run("registry", "usage", DOMAIN);
        assertThat(usage.stdout()).containsPattern("io-docker +\\S+ +7 +200 +6h +" + USER);
        assertThat(usage.stderr()).as("the warning and its fix").contains(
                "warning: " + MIRROR + ": 7 of 200 pulls left at the upstream (per 6h), below 10 % of its limit",
                "fix: wait for the upstream's 6h window to pass, or docker login with an account that has a larger"
                        + " budget, then lo registry up");
        JsonNode budget = mirror(json(run("registry", "usage", DOMAIN, "-o", "json").stdout()).path("registries"))
                .path("pullBudget");
        assertThat(budget.path("user").asText()).isEqualTo(USER);
        assertThat(budget.path("remaining").asLong()).isEqualTo(7);
        assertThat(budget.path("limit").asLong()).isEqualTo(200);
        assertThat(budget.path("low").asBoolean()).isTrue();
        assertThat(budget.path("warning").path("fix").asText()).contains("docker login");

        LoCli.Result status = run("registry", "status", DOMAIN);
        assertThat(status.stdout()).contains(MIRROR + ": pull budget 7 of 200 pulls left (per 6h, as " + USER + ")",
                MIRROR + ": warning: 7 of 200 pulls left at the upstream (per 6h), below 10 % of its limit; fix: ");
        JsonNode mirror = mirror(json(run("registry", "status", DOMAIN, "-o", "json").stdout()).path("projectRegistries"));
        assertThat(mirror.path("upstreamLogin").asText()).isEqualTo("used");
        assertThat(mirror.path("pullBudget").path("remaining").asLong()).isEqualTo(7);

        List<RateLimitedUpstream.Request> asked = upstream.requests().subList(before, upstream.requests().size());
        assertThat(asked).as("tokens were asked as the mirror's login").filteredOn(r -> r.path().equals("/token"))
                .isNotEmpty().allMatch(r -> r.identity().equals(USER));
        assertThat(asked).as("the manifest with the user's token, by HEAD only")
                .filteredOn(r -> r.path().contains("/manifests/")).isNotEmpty()
                .allMatch(r -> r.method().equals("HEAD"));
        assertThat(asked).filteredOn(r -> r.path().contains("/manifests/") && r.identity().equals(USER)).isNotEmpty();
    }

    @Test
    @Order(3)
    void anUpstreamThatSendsNoHeadersHasNoBudgetAndNothingIsRecordedOrLeaked() {
        upstream.headers(Map.of());
        JsonNode budget = mirror(json(run("registry", "usage", DOMAIN, "-o", "json").stdout()).path("registries"))
                .path("pullBudget");
        assertThat(budget.path("state").asText()).isEqualTo("not-reported");
        LoCli.Result status = run("registry", "status", DOMAIN);
        assertThat(status.stdout()).doesNotContain("pull budget");

        LoCli.Result history = run("history", "-o", "json", "--limit", "1000");
        assertThat(history.stdout()).as("the check is an observation: no event").doesNotContain("budget")
                .doesNotContain("ratelimit");
        String everything = String.join("\n", outputs);
        assertThat(everything).as("every output of lo").doesNotContain(SECRET)
                .doesNotContain(UpstreamLoginsIT.base64(USER + ":" + SECRET)).doesNotContain("lotest-token-");
    }
}
