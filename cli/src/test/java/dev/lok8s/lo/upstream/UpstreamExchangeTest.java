package dev.lok8s.lo.upstream;

import dev.lok8s.lo.http.RawPeer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static dev.lok8s.lo.http.RawPeer.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The upstream and pull-budget checks over lo's own HTTP/1.1 exchange, against peers written byte by
 * byte on loopback: what goes on the wire (HEAD, the token request with the login, the Bearer token),
 * redirects left unfollowed, and peers that break the bounds (endless headers, no answer, a token answer
 * that stalls) cut within the check's timeouts.
 */
class UpstreamExchangeTest {

    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final Duration REQUEST = Duration.ofSeconds(1);
    /** Far above every bound of the checks, far below a hang. */
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void theTokenDanceSendsTheLoginToTheTokenServiceAndTheTokenWithTheHead() throws Exception {
        try (RawPeer token = RawPeer.start((head, out) -> out.write(ascii(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"token\":\"t0k3n\"}")));
             RawPeer upstream = RawPeer.start((head, out) -> out.write(ascii(head.contains("Authorization: Bearer t0k3n")
                     ? "HTTP/1.1 200 OK\r\nRateLimit-Limit: 100;w=21600\r\nRateLimit-Remaining: 42;w=21600\r\n"
                     + "Content-Length: 1234\r\n\r\n"
                     : "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"" + token.url() + "/token\","
                     + "service=\"reg\"\r\nContent-Length: 0\r\n\r\n")))) {
            PullBudget budget = new PullBudgetCheck(CONNECT, REQUEST).ask(upstream.url(), new UpstreamLogin("reg", "dev", "pw"));
            assertThat(budget.summary()).isEqualTo("42 of 100 pulls left (per 6h, as dev)");
            assertThat(upstream.requests()).hasSize(2).allSatisfy(head -> assertThat(head)
                    .startsWith("HEAD /v2/ratelimitpreview/test/manifests/latest HTTP/1.1\r\n")
                    .contains("Accept: application/vnd.oci.image.index.v1+json")
                    .doesNotContain("Basic "));
            assertThat(token.requests()).singleElement().asString()
                    .startsWith("GET /token?service=reg&scope=repository%3Aratelimitpreview%2Ftest%3Apull HTTP/1.1\r\n")
                    .contains("Authorization: Basic " + Base64.getEncoder().encodeToString("dev:pw".getBytes(StandardCharsets.UTF_8)));

            UpstreamCheck.Answer answer = new UpstreamCheck(CONNECT, REQUEST).ask(upstream.url(), new UpstreamLogin("reg", "dev", "pw"));
            assertThat(answer).isEqualTo(new UpstreamCheck.Answer(true, 401, "bearer", 200, null));
            assertThat(upstream.requests().getLast()).startsWith("GET /v2/ HTTP/1.1\r\n");
        }
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        try (RawPeer elsewhere = RawPeer.start((head, out) -> out.write(ascii(
                "HTTP/1.1 200 OK\r\nRateLimit-Limit: 1\r\nRateLimit-Remaining: 1\r\nContent-Length: 0\r\n\r\n")));
             RawPeer upstream = RawPeer.start((head, out) -> out.write(ascii("HTTP/1.1 307 Temporary Redirect\r\nLocation: "
                     + elsewhere.url() + "/v2/\r\nContent-Length: 0\r\n\r\n")));
             RawPeer redirectingTokens = RawPeer.start((head, out) -> out.write(ascii("HTTP/1.1 302 Found\r\nLocation: "
                     + elsewhere.url() + "/token\r\nContent-Length: 0\r\n\r\n")));
             RawPeer challenging = RawPeer.start((head, out) -> out.write(ascii("HTTP/1.1 401 Unauthorized\r\n"
                     + "WWW-Authenticate: Bearer realm=\"" + redirectingTokens.url() + "/token\"\r\nContent-Length: 0\r\n\r\n")))) {
            assertThat(new UpstreamCheck(CONNECT, REQUEST).ask(upstream.url(), null))
                    .isEqualTo(new UpstreamCheck.Answer(true, 307, null, 0, null));
            assertThat(new PullBudgetCheck(CONNECT, REQUEST).ask(upstream.url(), null).state())
                    .isEqualTo(PullBudget.State.NOT_REPORTED);
            assertThat(new PullBudgetCheck(CONNECT, REQUEST).ask(challenging.url(), null).reason())
                    .isEqualTo("the upstream's token service answered status 302");
            assertThat(new UpstreamCheck(CONNECT, REQUEST).ask(challenging.url(), null).loginStatus()).isEqualTo(302);
            assertThat(elsewhere.requests()).as("no redirect followed").isEmpty();
        }
    }

    @Test
    void headersWithoutEndAreCutAtTheHeadCap() throws Exception {
        try (RawPeer endless = RawPeer.start((head, out) -> {
            out.write(ascii("HTTP/1.1 401 Unauthorized\r\n"));
            for (int i = 0; i < 1_000_000; i++) {
                out.write(ascii("X-Filler: " + "y".repeat(100) + "\r\n"));
            }
        })) {
            UpstreamCheck.Answer answer = assertTimeoutPreemptively(BOUND,
                    () -> new UpstreamCheck(CONNECT, Duration.ofSeconds(30)).ask(endless.url(), null));
            assertThat(answer.reachable()).isFalse();
            assertThat(answer.error()).isEqualTo("ProtocolException: sent more than 65536 bytes of status line and headers");
            PullBudget budget = assertTimeoutPreemptively(BOUND,
                    () -> new PullBudgetCheck(CONNECT, Duration.ofSeconds(30)).ask(endless.url(), null));
            assertThat(budget.reason()).isEqualTo("the upstream did not answer: ProtocolException: sent more than 65536 bytes"
                    + " of status line and headers");
        }
    }

    @Test
    void anUpstreamThatStallsIsCutAtTheRequestTimeout() throws Exception {
        try (RawPeer stalling = RawPeer.start((head, out) -> Thread.sleep(60_000))) {
            UpstreamCheck.Answer answer = assertTimeoutPreemptively(BOUND,
                    () -> new UpstreamCheck(CONNECT, REQUEST).ask(stalling.url(), null));
            assertThat(answer.reachable()).isFalse();
            assertThat(answer.error()).startsWith("SocketTimeoutException");
            PullBudget budget = assertTimeoutPreemptively(BOUND,
                    () -> new PullBudgetCheck(CONNECT, REQUEST).ask(stalling.url(), null));
            assertThat(budget.reason()).startsWith("the upstream did not answer: SocketTimeoutException");
        }
    }

    @Test
    void aTokenAnswerThatStallsIsCutAtTheRequestTimeout() throws Exception {
        try (RawPeer token = RawPeer.start((head, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"token\":\"t"));
            out.flush();
            Thread.sleep(60_000);
        });
             RawPeer upstream = RawPeer.start((head, out) -> out.write(ascii("HTTP/1.1 401 Unauthorized\r\n"
                     + "WWW-Authenticate: Bearer realm=\"" + token.url() + "/token\"\r\nContent-Length: 0\r\n\r\n")))) {
            PullBudget budget = assertTimeoutPreemptively(BOUND,
                    () -> new PullBudgetCheck(CONNECT, REQUEST).ask(upstream.url(), null));
            assertThat(budget.state()).isEqualTo(PullBudget.State.UNKNOWN);
            assertThat(budget.reason()).startsWith("the upstream did not answer: SocketTimeoutException");
        }
    }
}
