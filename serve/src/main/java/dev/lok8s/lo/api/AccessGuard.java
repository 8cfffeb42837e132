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
 * Who may ask: on loopback anyone on this machine, unless a token is configured; on any other
 * address only requests with {@code Authorization: Bearer <lo.serve.token>}. Installed first on the
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

    private byte[] tokenDigest;

    void install(@Observes Router router) {
        tokenDigest = configuredToken().map(AccessGuard::sha256).orElse(null);
        router.route().order(Integer.MIN_VALUE + 1).handler(this::check);
    }

    /** The token, if one is set (blank counts as none). */
    public Optional<String> configuredToken() {
        return config.serve().token().map(String::strip).filter(t -> !t.isEmpty());
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

    private void check(RoutingContext rc) {
        if (tokenDigest == null) {
            if (isLoopback(host)) {
                rc.next();
            } else {
                refuse(rc, new Problem("/problems/token-required", "Service unavailable", 503,
                        "lo serve is bound to " + host + " without a token; set LO_SERVE_TOKEN", rc.normalizedPath(),
                        null), null);
            }
            return;
        }
        if (matches(tokenDigest, rc.request().getHeader("Authorization"))) {
            rc.next();
            return;
        }
        refuse(rc, new Problem("/problems/unauthorized", "Unauthorized", 401,
                "this server requires Authorization: Bearer <token> (the LO_SERVE_TOKEN it was started with)",
                rc.normalizedPath(), null), "Bearer realm=\"lo\"");
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
