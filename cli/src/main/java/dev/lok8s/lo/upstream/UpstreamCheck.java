package dev.lok8s.lo.upstream;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * Asks a mirror's upstream {@code GET /v2/} from lo's process, only at the upstream's own address:
 * does it answer, and does it want a login (a {@code Basic} challenge), and does it take the one lo
 * has. Any HTTP answer counts as answering; a refused or timed-out connection does not.
 */
public final class UpstreamCheck {

    /**
     * @param reachable   the upstream answered over HTTP
     * @param status      its status to an anonymous {@code GET /v2/}; 0 when unreachable
     * @param challenge   the scheme of its {@code WWW-Authenticate} ({@code basic}, {@code bearer}), lower case; null for none
     * @param loginStatus its status to the same request with the login; 0 when not asked
     * @param error       why it did not answer; null when it did
     */
    public record Answer(boolean reachable, int status, String challenge, int loginStatus, String error) {
        static Answer unreachable(String error) {
            return new Answer(false, 0, null, 0, error);
        }

        /** It asks for a user name and password, which lo can check. */
        boolean asksBasicLogin() {
            return status == 401 && "basic".equals(challenge);
        }
    }

    private final HttpClient client;
    private final Duration requestTimeout;

    public UpstreamCheck(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = requestTimeout;
    }

    /** The upstream's API root: its scheme, host and port, then {@code /v2/}. */
    static URI v2(String upstream) {
        URI uri = URI.create(upstream);
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + "/v2/");
    }

    public Answer ask(String upstream, UpstreamLogin login) {
        URI v2 = v2(upstream);
        HttpResponse<Void> anonymous;
        try {
            anonymous = send(v2, null);
        } catch (IOException e) {
            return Answer.unreachable(describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.unreachable("interrupted");
        }
        String challenge = anonymous.headers().firstValue("WWW-Authenticate")
                .map(h -> h.strip().split("[ ,]", 2)[0].toLowerCase(Locale.ROOT)).orElse(null);
        Answer answer = new Answer(true, anonymous.statusCode(), challenge, 0, null);
        if (login == null || !answer.asksBasicLogin()) {
            return answer;
        }
        try {
            return new Answer(true, answer.status(), challenge, send(v2, login).statusCode(), null);
        } catch (IOException e) {
            return answer;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return answer;
        }
    }

    private HttpResponse<Void> send(URI uri, UpstreamLogin login) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET()
                .header("User-Agent", "lo");
        if (login != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (login.username() + ":" + login.secret()).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding());
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        String text = e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
