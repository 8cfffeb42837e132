package dev.lok8s.lo.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs a Docker credential helper as the docker CLI does: {@code docker-credential-<name> get} with
 * the server key on stdin, a JSON {@code {"ServerURL","Username","Secret"}} on stdout. Bounded: the
 * helper gets {@link #TIMEOUT} and {@link #MAX_OUTPUT} bytes, its stderr is discarded, and what it
 * printed never reaches an error message (a failing helper may echo what it was given).
 */
public final class CredentialHelper {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_OUTPUT = 64 * 1024;
    /** What a helper prints, exiting 1, when it has nothing for the server (docker-credential-helpers' wording). */
    static final String NOT_FOUND = "credentials not found in native keychain";
    /** The user name helpers return for an identity token (the secret is the token). */
    static final String TOKEN_USER = "<token>";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private CredentialHelper() {
    }

    static boolean validName(String helper) {
        return helper != null && NAME.matcher(helper).matches();
    }

    /** The helper's answer for {@code server}: a login, nothing, an identity token, or why it failed. */
    static DockerLogins.Found get(String helper, String server) {
        String program = "docker-credential-" + helper;
        Process process;
        try {
            process = new ProcessBuilder(program, "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return new DockerLogins.Unreadable(server, program + " is not on the PATH (the Docker configuration "
                    + "names it for " + server + ")");
        }
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(server.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // a helper that exits without reading its input is judged by its exit code below
            }
            byte[] out = readBounded(process.getInputStream(), process);
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new DockerLogins.Unreadable(server, program + " get did not answer within "
                        + TIMEOUT.toSeconds() + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                return text.strip().equals(NOT_FOUND) ? new DockerLogins.Nothing(server)
                        : new DockerLogins.Unreadable(server, program + " get failed (exit " + process.exitValue() + ")");
            }
            return parse(text, server, program);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return new DockerLogins.Unreadable(server, program + " get was interrupted");
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** A helper's JSON answer. Pure. */
    static DockerLogins.Found parse(String text, String server, String program) {
        JsonNode answer;
        try {
            answer = JSON.readTree(text);
        } catch (IOException e) {
            return new DockerLogins.Unreadable(server, program + " get did not print JSON");
        }
        if (answer == null || !answer.isObject()) {
            return new DockerLogins.Unreadable(server, program + " get did not print a JSON object");
        }
        String user = answer.path("Username").asText("");
        String secret = answer.path("Secret").asText("");
        if (TOKEN_USER.equals(user)) {
            return new DockerLogins.IdentityToken(server);
        }
        if (user.isEmpty() || secret.isEmpty()) {
            return new DockerLogins.Nothing(server);
        }
        try {
            return new DockerLogins.Stored(server, new UpstreamLogin(server, user, secret));
        } catch (IllegalArgumentException e) {
            return new DockerLogins.Unreadable(server, program + ": " + e.getMessage());
        }
    }

    /** At most {@link #MAX_OUTPUT} bytes, and no longer than {@link #TIMEOUT}: the reader gives up with the process. */
    private static byte[] readBounded(InputStream stream, Process process) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n = stream.read(buffer); n != -1; n = stream.read(buffer)) {
                    synchronized (out) {
                        if (out.size() + n > MAX_OUTPUT) {
                            process.destroyForcibly();
                            return;
                        }
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process was ended: what was read so far is judged by the caller
            }
        });
        if (!reader.join(TIMEOUT)) {
            process.destroyForcibly();
            reader.join(Duration.ofSeconds(1));
        }
        synchronized (out) {
            return out.size() > MAX_OUTPUT ? new byte[0] : out.toByteArray();
        }
    }
}
