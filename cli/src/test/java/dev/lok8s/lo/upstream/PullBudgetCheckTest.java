package dev.lok8s.lo.upstream;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The check against a fake token upstream on 127.0.0.1: the token dance, each identity, failures as reasons. */
class PullBudgetCheckTest {

    private static final PullBudgetCheck CHECK = new PullBudgetCheck(Duration.ofSeconds(2), Duration.ofSeconds(3));

    @Test
    void anonymousAndLoggedInBudgetsAreEachTheirOwn() throws Exception {
        try (RateLimitedUpstream fake = RateLimitedUpstream.start("dev", "pw", Map.of(
                "anonymous", new String[]{"100;w=21600", "60;w=21600"}, "dev", new String[]{"200;w=21600", "150;w=21600"}))) {
            PullBudget anonymous = CHECK.ask(fake.url(), null);
            assertThat(anonymous.summary()).isEqualTo("60 of 100 pulls left (per 6h, anonymous)");
            PullBudget user = CHECK.ask(fake.url(), new UpstreamLogin(fake.server(), "dev", "pw"));
            assertThat(user.summary()).isEqualTo("150 of 200 pulls left (per 6h, as dev)");
            assertThat(fake.requests()).filteredOn(r -> r.path().equals("/v2/ratelimitpreview/test/manifests/latest"))
                    .extracting(RateLimitedUpstream.Request::method).containsOnly("HEAD");
        }
    }

    @Test
    void aRefusedLoginNoHeadersAndNoAnswerAreSaid() throws Exception {
        try (RateLimitedUpstream fake = RateLimitedUpstream.start("dev", "pw", Map.of())) {
            PullBudget refused = CHECK.ask(fake.url(), new UpstreamLogin(fake.server(), "dev", "wrong-secret"));
            assertThat(refused.state()).isEqualTo(PullBudget.State.UNKNOWN);
            assertThat(refused.reason()).isEqualTo("the upstream's token service refuses the login of user 'dev' (status 401)")
                    .doesNotContain("wrong-secret");
            assertThat(CHECK.ask(fake.url(), null).state()).as("no headers").isEqualTo(PullBudget.State.NOT_REPORTED);
        }
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        PullBudget closed = CHECK.ask("http://127.0.0.1:" + port, null);
        assertThat(closed.state()).isEqualTo(PullBudget.State.UNKNOWN);
        assertThat(closed.reason()).startsWith("the upstream did not answer: ");
    }

    @Test
    void theTokenRequestAsksForPullOfTheCheckedRepositoryUnlessTheChallengeNamesAScope() {
        assertThat(PullBudgetCheck.tokenRequest("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\""))
                .isEqualTo(URI.create("https://auth.docker.io/token?service=registry.docker.io"
                        + "&scope=repository%3Aratelimitpreview%2Ftest%3Apull"));
        assertThat(PullBudgetCheck.tokenRequest("Bearer realm=\"http://t/token\",scope=\"repository:x:pull\""))
                .isEqualTo(URI.create("http://t/token?scope=repository%3Ax%3Apull"));
        assertThat(PullBudgetCheck.tokenRequest("Bearer realm=\"file:///etc/passwd\"")).isNull();
        assertThat(PullBudgetCheck.tokenRequest("Bearer service=\"x\"")).isNull();
        assertThat(PullBudgetCheck.manifest("https://registry-1.docker.io/some/path"))
                .isEqualTo(URI.create("https://registry-1.docker.io/v2/ratelimitpreview/test/manifests/latest"));
    }

    @Test
    void aTokenAnswerIsReadWithinBounds() {
        assertThat(PullBudgetCheck.tokenOf("{\"token\":\"abc\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo("abc");
        assertThat(PullBudgetCheck.tokenOf("{\"access_token\":\"xyz\"}".getBytes(StandardCharsets.UTF_8))).isEqualTo("xyz");
        assertThat(PullBudgetCheck.tokenOf("{\"token\":\"a b\"}".getBytes(StandardCharsets.UTF_8))).as("a space").isNull();
        assertThat(PullBudgetCheck.tokenOf("{\"token\":1}".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(PullBudgetCheck.tokenOf("[]".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(PullBudgetCheck.tokenOf("not json".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(PullBudgetCheck.tokenOf(("{\"token\":\"" + "a".repeat(PullBudgetCheck.MAX_TOKEN_LENGTH + 1) + "\"}")
                .getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
