package dev.lok8s.lo.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An upstream on 127.0.0.1 that counts pulls the way Docker Hub does: every {@code /v2/} request without a
 * token is answered {@code 401} with a {@code Bearer} challenge naming its token service ({@code /token} on
 * the same port); the token service gives an anonymous token without a login and a user's token to the one
 * user and password it knows (HTTP Basic), refusing any other login; a manifest HEAD with a token answers
 * with {@code ratelimit-limit} and {@code ratelimit-remaining} for that token's identity (the anonymous and
 * the user's figures differ, so a test sees whose budget lo read). It keeps what it was asked.
 */
public final class RateLimitedUpstream implements AutoCloseable {

    /** One request: method, path and the identity it was made as ({@code anonymous}, the user, or {@code none}). */
    public record Request(String method, String path, String identity) {
    }

    private final HttpServer server;
    private final String user;
    private final String password;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Map<String, String[]> headers;

    /**
     * @param headers the {@code ratelimit-limit} and {@code ratelimit-remaining} values by identity
     *                ({@code anonymous} or the user); an identity without an entry gets none
     */
    public static RateLimitedUpstream start(String user, String password, Map<String, String[]> headers)
            throws IOException {
        return new RateLimitedUpstream(user, password, headers);
    }

    private RateLimitedUpstream(String user, String password, Map<String, String[]> headers) throws IOException {
        this.user = user;
        this.password = password;
        this.headers = Map.copyOf(headers);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String server() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The figures sent from now on. */
    public void headers(Map<String, String[]> headers) {
        this.headers = Map.copyOf(headers);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (path.equals("/token")) {
                token(exchange, authorization);
                return;
            }
            String identity = authorization != null && authorization.startsWith("Bearer ")
                    ? tokens.get(authorization.substring("Bearer ".length())) : null;
            requests.add(new Request(exchange.getRequestMethod(), path, identity == null ? "none" : identity));
            if (identity == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + url()
                        + "/token\",service=\"lotest-hub\"" + (path.contains("/manifests/")
                        ? ",scope=\"repository:ratelimitpreview/test:pull\"" : ""));
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            String[] figures = headers.get(identity);
            if (figures != null) {
                exchange.getResponseHeaders().add("ratelimit-limit", figures[0]);
                exchange.getResponseHeaders().add("ratelimit-remaining", figures[1]);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.index.v1+json");
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private void token(HttpExchange exchange, String authorization) throws IOException {
        String identity;
        if (authorization == null) {
            identity = "anonymous";
        } else if (authorization.equals("Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)))) {
            identity = user;
        } else {
            requests.add(new Request("GET", "/token", "refused"));
            exchange.sendResponseHeaders(401, -1);
            return;
        }
        requests.add(new Request("GET", "/token", identity));
        String token = "lotest-token-" + UUID.randomUUID();
        tokens.put(token, identity);
        byte[] body = ("{\"token\":\"" + token + "\",\"expires_in\":300}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
