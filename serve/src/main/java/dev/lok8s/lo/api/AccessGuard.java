package dev.lok8s.lo.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import dev.lok8s.lo.config.LoConfig;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Who may ask: on loopback anyone on this machine, unless a token is configured, and only with a
 * {@code Host} header naming loopback (so a web page cannot reach the API by DNS rebinding); on any other
 * address only requests with {@code Authorization: Bearer <lo.serve.token>} (but for the page's own files,
 * which hold no data: {@link PageAssets}). Installed first on the
 * Vert.x router, so it guards every path (the API, OpenAPI, Swagger UI, health and metrics alike).
 * Fails closed: bound to a non-loopback host without a token, it answers every request with 503
 * (and {@code lo serve} refuses to run).
 */
@ApplicationScoped
public class AccessGuard {

    @Inject
    LoConfig config;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1")
    String host;

    @Inject
    ObjectMapper json;

    /** A bearer token shorter than this is refused: it could be guessed. */
    public static final int MIN_TOKEN_LENGTH = 32;

    private byte[] tokenDigest;
    private boolean weakToken;

    void install(@Observes Router router) {
        tokenDigest = configuredToken().map(AccessGuard::sha256).orElse(null);
        weakToken = configuredToken().map(t -> !strongEnough(t)).orElse(false);
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    /** The token, if one is set (blank counts as none). */
    public Optional<String> configuredToken() {
        return config.serve().token().map(String::strip).filter(t -> !t.isEmpty());
    }

    /** Whether a token is long enough to stand between the log and the network. */
    public static boolean strongEnough(String token) {
        return token.strip().length() >= MIN_TOKEN_LENGTH;
    }

    /** The one-line refusal of a weak token, for lo serve and the guard alike. */
    public static String weakTokenMessage(String token) {
        return "LO_SERVE_TOKEN (lo.serve.token) has " + token.strip().length() + " characters; use at least "
                + MIN_TOKEN_LENGTH + " random ones, for example $(openssl rand -hex 32)";
    }

    /** Whether this host/token pair may serve at all. */
    public static boolean mayServe(String host, boolean hasToken) {
        return hasToken || isLoopback(host);
    }

    public static boolean isLoopback(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Constant time in the token's content: both sides are hashed to equal length first. */
    static boolean matches(byte[] expectedDigest, String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(authorization.substring(7).strip()));
    }

    /**
     * Whether a request without a token may be answered: its {@code Host} names loopback
     * ({@code 127.0.0.1}, {@code localhost}, {@code [::1]}, or the address lo serve is bound to), with
     * any port. A page served by some other name that resolves to 127.0.0.1 (DNS rebinding) sends that
     * name, and is refused.
     */
    static boolean loopbackHost(String hostHeader, String boundHost) {
        if (hostHeader == null) {
            return false;
        }
        String h = hostHeader.strip().toLowerCase(java.util.Locale.ROOT);
        String name;
        String port;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) {
                return false;
            }
            name = h.substring(1, end);
            port = h.substring(end + 1);
        } else {
            int colon = h.indexOf(':');
            name = colon < 0 ? h : h.substring(0, colon);
            port = colon < 0 ? "" : h.substring(colon);
        }
        if (!port.isEmpty() && !port.matches(":[0-9]{1,5}")) {
            return false;
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        String bound = boundHost == null ? "" : boundHost.strip().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("^\\[|]$", "");
        return name.equals("127.0.0.1") || name.equals("localhost") || name.equals("::1")
                || name.equals("0:0:0:0:0:0:0:1") || (!bound.isEmpty() && name.equals(bound));
    }

    private void check(RoutingContext rc) {
        if (weakToken) {
            // lo serve refuses to start with it; should the server be up anyway, answer nothing
            refuse(rc, new Problem("/problems/weak-token", "Service unavailable", 503,
                    "the server's token is too short; restart lo serve with a token of at least " + MIN_TOKEN_LENGTH
                            + " characters", rc.normalizedPath(), null), null);
            return;
        }
        if (tokenDigest == null) {
            if (!isLoopback(host)) {
                refuse(rc, new Problem("/problems/token-required", "Service unavailable", 503,
                        "lo serve is bound to " + host + " without a token; set LO_SERVE_TOKEN", rc.normalizedPath(),
                        null), null);
            } else if (loopbackHost(requestHost(rc), host)) {
                rc.next();
            } else {
                refuse(rc, new Problem("/problems/host-not-allowed", "Forbidden", 403,
                        "without a token lo serve answers only requests addressed to 127.0.0.1, localhost or [::1]"
                                + " (this one was for '" + shown(requestHost(rc)) + "')",
                        rc.normalizedPath(), null), null);
            }
            return;
        }
        if (matches(tokenDigest, rc.request().getHeader("Authorization"))
                || PageAssets.isAsset(rc.request().method(), rc.normalizedPath())) {
            // the page's own files hold no data: a browser opening the address cannot send the token yet
            rc.next();
            return;
        }
        refuse(rc, new Problem("/problems/unauthorized", "Unauthorized", 401,
                "this server requires Authorization: Bearer <token> (the LO_SERVE_TOKEN it was started with)",
                rc.normalizedPath(), null), "Bearer realm=\"lo\"");
    }

    /** The Host header, or on HTTP/2 (h2c upgrades included) the :authority, as {@code host[:port]}. */
    private static String requestHost(RoutingContext rc) {
        String header = rc.request().getHeader("Host");
        if (header != null) {
            return header;
        }
        var authority = rc.request().authority();
        if (authority == null) {
            return null;
        }
        String h = authority.host();
        if (h.contains(":") && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return authority.port() >= 0 ? h + ":" + authority.port() : h;
    }

    /** An untrusted header value, short enough for a problem detail. */
    private static String shown(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 100 ? value.substring(0, 100) + "..." : value;
    }

    private void refuse(RoutingContext rc, Problem problem, String challenge) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + problem.status() + "}";
        }
        var response = rc.response().setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (challenge != null) {
            response.putHeader("WWW-Authenticate", challenge);
        }
        response.end(body);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
