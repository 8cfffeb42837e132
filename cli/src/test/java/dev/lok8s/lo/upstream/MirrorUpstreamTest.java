package dev.lok8s.lo.upstream;

import com.sun.net.httpserver.HttpServer;
import dev.lok8s.lo.plan.MirrorMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The mode and login decision, and the check of an upstream on loopback that it is made from. */
class MirrorUpstreamTest {

    static final String UPSTREAM = "http://127.0.0.1:5000";
    static final UpstreamLogin LOGIN = new UpstreamLogin("127.0.0.1:5000", "dev", "pw-123");
    static final UpstreamCheck.Answer ANSWERS = new UpstreamCheck.Answer(true, 200, null, 0, null);
    /** A token upstream whose token service refuses (anonymous requests, or lo's login). */
    static final UpstreamCheck.Answer TOKEN_REFUSED = new UpstreamCheck.Answer(true, 401, "bearer", 401, null);
    static final UpstreamCheck.Answer TOKEN_GIVEN = new UpstreamCheck.Answer(true, 401, "bearer", 200, null);
    static final UpstreamCheck.Answer BASIC = new UpstreamCheck.Answer(true, 401, "basic", 0, null);
    static final UpstreamCheck.Answer DOWN = UpstreamCheck.Answer.unreachable("ConnectException");

    HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    static MirrorUpstream decide(DockerLogins.Found found, UpstreamCheck.Answer answer) {
        return MirrorUpstream.decide("m", UPSTREAM, found, answer, found instanceof DockerLogins.Stored ? "fp" : null);
    }

    @Test
    void theModeFollowsWhetherTheUpstreamAnswers() {
        assertThat(decide(new DockerLogins.Nothing("127.0.0.1:5000"), ANSWERS).mode()).isEqualTo(MirrorMode.PROXY);
        MirrorUpstream down = decide(new DockerLogins.Nothing("127.0.0.1:5000"), DOWN);
        assertThat(down.mode()).isEqualTo(MirrorMode.OFFLINE);
        assertThat(down.unreachable()).isEqualTo("ConnectException");
        assertThat(down.problem()).as("offline is a mode, not a login problem").isNull();
    }

    @Test
    void aLoginAskedForAndMissingSaysSoWithTheCommandThatStoresOne() {
        MirrorUpstream missing = decide(new DockerLogins.Nothing("127.0.0.1:5000"), TOKEN_REFUSED);
        assertThat(missing.loginState()).isEqualTo(LoginState.MISSING);
        assertThat(missing.problem().message()).isEqualTo("upstream 127.0.0.1:5000 asks for a login and the Docker "
                + "configuration has none for 127.0.0.1:5000");
        assertThat(missing.problem().fix()).isEqualTo("docker login 127.0.0.1:5000");
        MirrorUpstream hub = MirrorUpstream.decide("m", "https://registry-1.docker.io",
                new DockerLogins.Nothing(DockerLogins.DOCKER_HUB_KEY), TOKEN_REFUSED, null);
        assertThat(hub.problem().fix()).isEqualTo("docker login");
        assertThat(decide(new DockerLogins.Nothing("127.0.0.1:5000"), TOKEN_GIVEN).loginState())
                .as("a token service that gives anonymous tokens (Docker Hub)").isEqualTo(LoginState.ANONYMOUS);
    }

    @Test
    void aStoredLoginIsUsedUnlessTheUpstreamRefusesIt() {
        MirrorUpstream used = decide(new DockerLogins.Stored("127.0.0.1:5000", LOGIN), TOKEN_GIVEN);
        assertThat(used.loginState()).isEqualTo(LoginState.USED);
        assertThat(used.login()).isEqualTo(LOGIN);
        assertThat(used.loginFingerprint()).isEqualTo("fp");
        assertThat(used.problem()).isNull();
        MirrorUpstream refused = decide(new DockerLogins.Stored("127.0.0.1:5000", LOGIN), TOKEN_REFUSED);
        assertThat(refused.loginState()).isEqualTo(LoginState.REFUSED);
        assertThat(refused.login()).as("still handed to the mirror: the user decides").isEqualTo(LOGIN);
        assertThat(refused.problem().fix()).isEqualTo("docker login 127.0.0.1:5000");
        assertThat(refused.problem().message()).contains("refuses").doesNotContain("pw-123");
        assertThat(refused.toString()).doesNotContain("pw-123");
        MirrorUpstream offline = decide(new DockerLogins.Stored("127.0.0.1:5000", LOGIN), DOWN);
        assertThat(offline.loginState()).as("offline, the login is kept for when it answers").isEqualTo(LoginState.USED);
        assertThat(offline.loginFingerprint()).isEqualTo("fp");
    }

    @Test
    void anHttpBasicUpstreamCannotBeLoggedInToByAMirror() {
        for (DockerLogins.Found found : java.util.List.of(new DockerLogins.Nothing("127.0.0.1:5000"),
                new DockerLogins.Stored("127.0.0.1:5000", LOGIN))) {
            MirrorUpstream basic = decide(found, BASIC);
            assertThat(basic.loginState()).isEqualTo(LoginState.UNSUPPORTED);
            assertThat(basic.login()).isNull();
            assertThat(basic.problem().message()).contains("HTTP Basic");
        }
    }

    @Test
    void anIdentityTokenOrAnUnreadableConfigurationIsReportedAndTheMirrorPullsAnonymously() {
        MirrorUpstream token = decide(new DockerLogins.IdentityToken("127.0.0.1:5000"), ANSWERS);
        assertThat(token.loginState()).isEqualTo(LoginState.UNUSABLE);
        assertThat(token.login()).isNull();
        assertThat(token.problem().fix()).startsWith("docker login -u USER 127.0.0.1:5000");
        MirrorUpstream bad = decide(new DockerLogins.Unreadable("127.0.0.1:5000", "config.json is not JSON"), ANSWERS);
        assertThat(bad.loginState()).isEqualTo(LoginState.UNREADABLE);
        assertThat(bad.loginKnown()).isFalse();
    }

    @Test
    void theCheckFollowsTheTokenChallengeAndTellsAcceptedFromRefused() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String good = "Basic " + Base64.getEncoder().encodeToString("dev:pw-123".getBytes(StandardCharsets.UTF_8));
        java.util.List<String> tokenQueries = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.createContext("/v2/", exchange -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://127.0.0.1:"
                    + server.getAddress().getPort() + "/token\",service=\"lotest registry\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.createContext("/token", exchange -> {
            tokenQueries.add(exchange.getRequestURI().getRawQuery());
            boolean ok = good.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(ok ? 200 : 401, -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        UpstreamCheck check = new UpstreamCheck(Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(check.ask(url, null)).isEqualTo(new UpstreamCheck.Answer(true, 401, "bearer", 401, null));
        assertThat(check.ask(url, LOGIN).loginStatus()).isEqualTo(200);
        assertThat(check.ask(url, new UpstreamLogin("x", "dev", "wrong")).loginStatus()).isEqualTo(401);
        assertThat(tokenQueries).as("the service from the challenge").allMatch("service=lotest+registry"::equals);
    }

    @Test
    void aChallengeWithoutAnHttpRealmIsNotFollowed() {
        assertThat(UpstreamCheck.tokenRequest("Bearer realm=\"file:///etc/passwd\"")).isNull();
        assertThat(UpstreamCheck.tokenRequest("Bearer service=\"x\"")).isNull();
        assertThat(UpstreamCheck.tokenRequest("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\""))
                .hasToString("https://auth.docker.io/token?service=registry.docker.io");
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        UpstreamCheck.Answer silent = new UpstreamCheck(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .ask("http://127.0.0.1:" + closed, null);
        assertThat(silent.reachable()).isFalse();
        assertThat(silent.error()).contains("ConnectException");
    }
}
