package dev.lok8s.lo.upstream;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the upstream check and the pull-budget check share: one HTTP client, made when the first request
 * needs it (a command whose plan has no mirror, or whose upstreams are not asked, never pays for it), a
 * {@code Bearer} challenge read into a token service address, and a login as an HTTP Basic header.
 */
final class UpstreamHttp {

    /** A token service address longer than this is not followed. */
    static final int MAX_REALM_LENGTH = 2048;

    private static final Pattern PARAMETER = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    private final Duration connectTimeout;
    private HttpClient client;

    UpstreamHttp(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return client;
    }

    /** {@code uri} asked as lo, with {@code login} as HTTP Basic when there is one. */
    static HttpRequest.Builder request(URI uri, Duration timeout, UpstreamLogin login) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", "lo");
        if (login != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (login.username() + ":" + login.secret()).getBytes(StandardCharsets.UTF_8)));
        }
        return request;
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
