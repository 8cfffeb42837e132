package dev.lok8s.lo.upstream;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Asks a mirror's upstream {@code GET /v2/} from lo's process, and, when it answers with a token
 * challenge ({@code Bearer realm=...,service=...}, as Docker Hub, ghcr.io and quay.io do), its token
 * service for a token with lo's login or without one: does it answer, does it want a login, and does
 * it take the one lo has. These two addresses, the upstream's and the token service it names, are the
 * only ones asked, as the mirror itself asks them. Any HTTP answer counts as answering; a refused or
 * timed-out connection does not.
 */
public final class UpstreamCheck {

    /**
     * @param reachable   the upstream answered over HTTP
     * @param status      its status to an anonymous {@code GET /v2/}; 0 when unreachable
     * @param challenge   the scheme of its {@code WWW-Authenticate} ({@code basic}, {@code bearer}), lower case; null for none
     * @param loginStatus the token service's status to a token request (with lo's login when it has one);
     *                    0 when not asked
     * @param error       why it did not answer; null when it did
     */
    public record Answer(boolean reachable, int status, String challenge, int loginStatus, String error) {
        public static Answer unreachable(String error) {
            return new Answer(false, 0, null, 0, error);
        }

        /** It asks for an HTTP Basic login, which a distribution pull-through mirror cannot send. */
        boolean asksBasicLogin() {
            return status == 401 && "basic".equals(challenge);
        }

        /** Its token service refused a token (to lo's login, or to anyone without one). */
        boolean tokenRefused() {
            return "bearer".equals(challenge) && (loginStatus == 401 || loginStatus == 403);
        }
    }

    private final UpstreamHttp http;
    private final Duration requestTimeout;

    public UpstreamCheck(Duration connectTimeout, Duration requestTimeout) {
        this(new UpstreamHttp(connectTimeout), requestTimeout);
    }

    UpstreamCheck(UpstreamHttp http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /** The upstream's API root: its scheme, host and port, then {@code /v2/}. */
    static URI v2(String upstream) {
        URI uri = URI.create(upstream);
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/v2/");
    }

    public Answer ask(String upstream, UpstreamLogin login) {
        URI v2 = v2(upstream);
        UpstreamHttp.Answer anonymous;
        try {
            anonymous = send(v2, null);
        } catch (IOException e) {
            return Answer.unreachable(describe(e));
        }
        String header = anonymous.header("WWW-Authenticate");
        String challenge = header == null ? null : header.strip().split("[ ,]", 2)[0].toLowerCase(Locale.ROOT);
        if (anonymous.status() != 401 || !"bearer".equals(challenge)) {
            return new Answer(true, anonymous.status(), challenge, 0, null);
        }
        URI token = tokenRequest(header);
        if (token == null) {
            return new Answer(true, anonymous.status(), challenge, 0, null);
        }
        try {
            return new Answer(true, anonymous.status(), challenge, send(token, login).status(), null);
        } catch (IOException | IllegalArgumentException e) {
            return new Answer(true, anonymous.status(), challenge, 0, null);
        }
    }

    /** {@code realm?service=...} from a {@code Bearer} challenge; null when it names no usable http(s) realm. */
    static URI tokenRequest(String header) {
        return UpstreamHttp.tokenRequest(header, null);
    }

    private UpstreamHttp.Answer send(URI uri, UpstreamLogin login) throws IOException {
        return http.send("GET", uri, requestTimeout, login, null, null, 0, "WWW-Authenticate");
    }

    static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
