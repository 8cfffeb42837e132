package dev.lok8s.lo.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.config.LoConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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

    /**
     * A token whose characters carry less than this (estimated from how often each occurs, times its
     * length) is refused: 32 random hex characters carry about 110, their worst case near 90.
     */
    public static final int MIN_TOKEN_BITS = 80;

    /**
     * Whether a token could stand between the log and the network: long enough, with enough different
     * characters, and not one pattern repeated.
     */
    public static boolean strongEnough(String token) {
        String t = token.strip();
        return t.length() >= MIN_TOKEN_LENGTH && estimatedBits(t) >= MIN_TOKEN_BITS && !repeatsAPattern(t);
    }

    /** The one-line refusal of a weak token, for lo serve and the guard alike; it never shows the token. */
    public static String weakTokenMessage(String token) {
        String t = token.strip();
        if (t.length() < MIN_TOKEN_LENGTH) {
            return "LO_SERVE_TOKEN (lo.serve.token) has " + t.length() + " characters; use at least "
                    + MIN_TOKEN_LENGTH + " random ones, for example $(openssl rand -hex 32)";
        }
        return "LO_SERVE_TOKEN (lo.serve.token) is too easy to guess (few different characters, or a pattern repeated,"
                + " about " + (int) estimatedBits(t) + " bits where " + MIN_TOKEN_BITS + " are needed); use "
                + MIN_TOKEN_LENGTH + " or more random characters, for example $(openssl rand -hex 32)";
    }

    /** The token's length times the entropy of its character frequencies (0 for one character repeated). */
    static double estimatedBits(String token) {
        Map<Integer, Integer> counts = new HashMap<>();
        token.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        int n = token.codePointCount(0, token.length());
        double perCharacter = 0;
        for (int count : counts.values()) {
            double p = (double) count / n;
            perCharacter -= p * Math.log(p) / Math.log(2);
        }
        return perCharacter * n;
    }

    /** Whether the token is a shorter piece repeated ("abcabcabc...", "password1password1..."). */
    static boolean repeatsAPattern(String token) {
        for (int period = 1; period <= token.length() / 2; period++) {
            boolean periodic = true;
            for (int i = period; i < token.length() && periodic; i++) {
                periodic = token.charAt(i) == token.charAt(i - period);
            }
            if (periodic) {
                return true;
            }
        }
        return false;
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
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
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
        String bound = boundHost == null ? "" : boundHost.strip().toLowerCase(Locale.ROOT)
                .replaceAll("^\\[|]$", "");
        return name.equals("127.0.0.1") || name.equals("localhost") || name.equals("::1")
                || name.equals("0:0:0:0:0:0:0:1") || (!bound.isEmpty() && name.equals(bound));
    }

    private void check(RoutingContext rc) {
        if (weakToken) {
            // lo serve refuses to start with it; should the server be up anyway, answer nothing
            refuse(rc, new Problem("/problems/weak-token", "Service unavailable", 503,
                    "the server's token is too short or too easy to guess; restart lo serve with a token of at least "
                            + MIN_TOKEN_LENGTH + " random characters", rc.normalizedPath(), null), null);
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
