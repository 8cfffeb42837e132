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
    static final UpstreamCheck.Answer ASKS_LOGIN = new UpstreamCheck.Answer(true, 401, "basic", 0, null);
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
        MirrorUpstream missing = decide(new DockerLogins.Nothing("127.0.0.1:5000"), ASKS_LOGIN);
        assertThat(missing.loginState()).isEqualTo(LoginState.MISSING);
        assertThat(missing.problem().message()).isEqualTo("upstream 127.0.0.1:5000 asks for a login and the Docker "
                + "configuration has none for 127.0.0.1:5000");
        assertThat(missing.problem().fix()).isEqualTo("docker login 127.0.0.1:5000");
        MirrorUpstream hub = MirrorUpstream.decide("m", "https://registry-1.docker.io",
                new DockerLogins.Nothing(DockerLogins.DOCKER_HUB_KEY), ASKS_LOGIN, null);
        assertThat(hub.problem().fix()).isEqualTo("docker login");
        assertThat(decide(new DockerLogins.Nothing("127.0.0.1:5000"),
                new UpstreamCheck.Answer(true, 401, "bearer", 0, null)).loginState())
                .as("a token upstream (Docker Hub) lets anonymous pulls through").isEqualTo(LoginState.ANONYMOUS);
    }

    @Test
    void aStoredLoginIsUsedUnlessTheUpstreamRefusesIt() {
        MirrorUpstream used = decide(new DockerLogins.Stored("127.0.0.1:5000", LOGIN),
                new UpstreamCheck.Answer(true, 401, "basic", 200, null));
        assertThat(used.loginState()).isEqualTo(LoginState.USED);
        assertThat(used.login()).isEqualTo(LOGIN);
        assertThat(used.loginFingerprint()).isEqualTo("fp");
        assertThat(used.problem()).isNull();
        MirrorUpstream refused = decide(new DockerLogins.Stored("127.0.0.1:5000", LOGIN),
                new UpstreamCheck.Answer(true, 401, "basic", 401, null));
        assertThat(refused.loginState()).isEqualTo(LoginState.REFUSED);
        assertThat(refused.problem().fix()).isEqualTo("docker login 127.0.0.1:5000");
        assertThat(refused.problem().message()).contains("refuses").doesNotContain("pw-123");
        assertThat(refused.toString()).doesNotContain("pw-123");
        MirrorUpstream offline = decide(new DockerLogins.Stored("127.0.0.1:5000", LOGIN), DOWN);
        assertThat(offline.loginState()).as("offline, the login is kept for when it answers").isEqualTo(LoginState.USED);
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
    void theCheckTellsAnsweringFromSilentAndAcceptedFromRefused() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String good = "Basic " + Base64.getEncoder().encodeToString("dev:pw-123".getBytes(StandardCharsets.UTF_8));
        server.createContext("/v2/", exchange -> {
            boolean ok = good.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            if (!ok) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
            }
            exchange.sendResponseHeaders(ok ? 200 : 401, -1);
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        UpstreamCheck check = new UpstreamCheck(Duration.ofSeconds(2), Duration.ofSeconds(2));
        UpstreamCheck.Answer anonymous = check.ask(url, null);
        assertThat(anonymous).isEqualTo(new UpstreamCheck.Answer(true, 401, "basic", 0, null));
        assertThat(check.ask(url, LOGIN).loginStatus()).isEqualTo(200);
        assertThat(check.ask(url, new UpstreamLogin("x", "dev", "wrong")).loginStatus()).isEqualTo(401);

        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        UpstreamCheck.Answer silent = check.ask("http://127.0.0.1:" + closed, null);
        assertThat(silent.reachable()).isFalse();
        assertThat(silent.error()).contains("ConnectException");
    }
}
