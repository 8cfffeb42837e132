package dev.lok8s.lo.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Asks a mirror's upstream for its pull budget as the mirror itself would be counted: a manifest HEAD of
 * {@value #REPOSITORY}:{@value #REFERENCE} (the image Docker documents for this check; a HEAD is not counted
 * as a pull), after the token dance with the mirror's login when the upstream answers with a {@code Bearer}
 * challenge (anonymous when the mirror has none), then reads {@code ratelimit-limit} and
 * {@code ratelimit-remaining}. Only the upstream and the token service it names are asked; the token is
 * kept for the one HEAD and never shown.
 */
public final class PullBudgetCheck {

    static final String REPOSITORY = "ratelimitpreview/test";
    static final String REFERENCE = "latest";
    /** A token answer larger than this is not read. */
    static final int MAX_TOKEN_ANSWER = 64 * 1024;
    /** A token longer than this is not used. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final String ACCEPT = String.join(", ",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UpstreamHttp http;
    private final Duration requestTimeout;

    public PullBudgetCheck(Duration connectTimeout, Duration requestTimeout) {
        this(new UpstreamHttp(connectTimeout), requestTimeout);
    }

    PullBudgetCheck(UpstreamHttp http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /** The manifest the check asks for, on the upstream's scheme, host and port. */
    static URI manifest(String upstream) {
        URI uri = URI.create(upstream);
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/v2/" + REPOSITORY + "/manifests/"
                + REFERENCE);
    }

    /** The budget of {@code login} (null: anonymous) at {@code upstream}; never throws for the upstream's sake. */
    public PullBudget ask(String upstream, UpstreamLogin login) {
        String user = login == null ? null : login.username();
        try {
            URI manifest = manifest(upstream);
            UpstreamHttp.Answer first = head(manifest, null);
            String challenge = first.header("WWW-Authenticate");
            if (first.status() != 401 || challenge == null
                    || !challenge.strip().toLowerCase(Locale.ROOT).startsWith("bearer")) {
                return budgetOf(first, user);
            }
            URI token = tokenRequest(challenge);
            if (token == null) {
                return PullBudget.unknown("the upstream's token challenge names no usable token service", user);
            }
            UpstreamHttp.Answer answer = http.send("GET", token, requestTimeout, login, null, null, MAX_TOKEN_ANSWER);
            if (answer.status() == 401 || answer.status() == 403) {
                return PullBudget.unknown("the upstream's token service refuses "
                        + (login == null ? "an anonymous token" : "the login of user '" + user + "'")
                        + " (status " + answer.status() + ")", user);
            }
            if (answer.status() != 200) {
                return PullBudget.unknown("the upstream's token service answered status " + answer.status(), user);
            }
            String bearer = tokenOf(answer.body());
            if (bearer == null) {
                return PullBudget.unknown("the upstream's token service answered no usable token", user);
            }
            UpstreamHttp.Answer second = head(manifest, "Bearer " + bearer);
            if (second.status() == 401 || second.status() == 403) {
                return PullBudget.unknown("the upstream refuses the token its service gave (status "
                        + second.status() + ")", user);
            }
            return budgetOf(second, user);
        } catch (IOException e) {
            return PullBudget.unknown("the upstream did not answer: " + UpstreamCheck.describe(e), user);
        } catch (IllegalArgumentException e) {
            return PullBudget.unknown("cannot ask " + upstream + ": " + e.getMessage(), user);
        }
    }

    private static PullBudget budgetOf(UpstreamHttp.Answer answer, String user) {
        return PullBudget.fromHeaders(Optional.ofNullable(answer.header("ratelimit-limit")),
                Optional.ofNullable(answer.header("ratelimit-remaining")), user);
    }

    private UpstreamHttp.Answer head(URI uri, String authorization) throws IOException {
        return http.send("HEAD", uri, requestTimeout, null, authorization, ACCEPT, 0,
                "WWW-Authenticate", "ratelimit-limit", "ratelimit-remaining");
    }

    /**
     * {@code realm?service=...&scope=...} from a {@code Bearer} challenge: its scope, or pull of the checked
     * repository when it names none. Null when it names no usable http(s) realm.
     */
    static URI tokenRequest(String challenge) {
        return UpstreamHttp.tokenRequest(challenge, "repository:" + REPOSITORY + ":pull");
    }

    /** {@code token} (or {@code access_token}) of a token service's JSON answer; null when none is usable. */
    static String tokenOf(byte[] body) {
        if (body.length > MAX_TOKEN_ANSWER) {
            return null;
        }
        try {
            JsonNode answer = JSON.readTree(body);
            if (answer == null || !answer.isObject()) {
                return null;
            }
            JsonNode token = answer.hasNonNull("token") ? answer.get("token") : answer.get("access_token");
            if (token == null || !token.isTextual()) {
                return null;
            }
            String text = token.asText();
            return text.isEmpty() || text.length() > MAX_TOKEN_LENGTH || !text.chars().allMatch(c -> c > 32 && c < 127)
                    ? null : text;
        } catch (IOException e) {
            return null;
        }
    }
}
