package dev.lok8s.lo.upstream;

import dev.lok8s.lo.http.Http1Exchange;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the upstream check and the pull-budget check share: one request to an upstream or its token
 * service, each on a connection of its own ({@link Http1Exchange}: HTTP/1.1, plain or TLS with the JDK's
 * default trust and HTTPS host name verification, redirects not followed, every answer bounded), a
 * {@code Bearer} challenge read into a token service address, and a login as an HTTP Basic header. A
 * status or re-run asks a few upstreams once each: building the JDK's HTTP client for that cost a fresh
 * JVM more than the requests (docs/benchmarks.md, issue 25).
 */
final class UpstreamHttp {

    /** A token service address longer than this is not followed. */
    static final int MAX_REALM_LENGTH = 2048;

    private static final Pattern PARAMETER = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    /** An upstream's answer: its status, the first value of each header asked for, and the body read (GET). */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Duration connectTimeout;

    UpstreamHttp(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * {@code method} (GET or HEAD) of {@code uri} as lo: with {@code login} as HTTP Basic when there is one,
     * else {@code authorization} when not null; the TCP connect within the connect timeout, then all the rest
     * (TLS, status line, headers, at most {@code maxBody} bytes of a 200 answer's body, one more telling it
     * was longer) within {@code timeout}.
     *
     * @param wanted the headers whose first values the answer keeps
     */
    Answer send(String method, URI uri, Duration timeout, UpstreamLogin login, String authorization, String accept,
                int maxBody, String... wanted) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "lo");
        if (accept != null) {
            headers.put("Accept", accept);
        }
        if (login != null) {
            headers.put("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (login.username() + ":" + login.secret()).getBytes(StandardCharsets.UTF_8)));
        } else if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        try (Http1Exchange exchange = Http1Exchange.open(method, uri, headers, connectTimeout, timeout)) {
            Map<String, String> kept = new HashMap<>();
            for (String name : wanted) {
                String value = exchange.firstHeader(name);
                if (value != null) {
                    kept.put(name.toLowerCase(Locale.ROOT), value);
                }
            }
            byte[] body = maxBody > 0 && method.equals("GET") && exchange.status() == 200
                    ? exchange.readAtMost(maxBody) : new byte[0];
            return new Answer(exchange.status(), kept, body);
        }
    }

    /**
     * {@code realm?service=...} from a {@code Bearer} challenge, with {@code scope=...} when {@code scope}
     * is not null ({@code defaultScope} applies when the challenge names none); null when it names no usable
     * http(s) realm.
     */
    static URI tokenRequest(String challenge, String defaultScope) {
        Map<String, String> parameters = new HashMap<>();
        Matcher m = PARAMETER.matcher(challenge);
        while (m.find()) {
            parameters.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
        }
        String realm = parameters.get("realm");
        if (realm == null || realm.length() > MAX_REALM_LENGTH
                || !(realm.startsWith("https://") || realm.startsWith("http://"))) {
            return null;
        }
        StringBuilder query = new StringBuilder();
        if (parameters.containsKey("service")) {
            query.append("service=").append(URLEncoder.encode(parameters.get("service"), StandardCharsets.UTF_8));
        }
        if (defaultScope != null) {
            String scope = parameters.getOrDefault("scope", defaultScope);
            query.append(query.isEmpty() ? "" : "&").append("scope=")
                    .append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        try {
            URI uri = URI.create(realm + (query.isEmpty() ? "" : (realm.contains("?") ? "&" : "?") + query));
            return uri.getHost() == null ? null : uri;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
