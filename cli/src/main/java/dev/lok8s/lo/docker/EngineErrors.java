package dev.lok8s.lo.docker;

import com.github.dockerjava.api.exception.DockerException;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads failures of docker-java calls: the engine's own message, and whether the engine was reachable at all. */
final class EngineErrors {

    // docker-java renders an error response as "Status 409: {"message":"..."}"
    private static final Pattern JSON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern STATUS_PREFIX = Pattern.compile("^Status \\d+:\\s*");

    private EngineErrors() {
    }

    /** The engine's message without docker-java's status prefix and JSON wrapping, on one line. */
    static String message(Throwable failure) {
        String raw = failure.getMessage();
        if (raw == null || raw.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        Matcher json = JSON_MESSAGE.matcher(raw);
        String text = json.find() ? unescape(json.group(1)) : STATUS_PREFIX.matcher(raw.strip()).replaceFirst("");
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** True when no answer came from the engine: no socket, connection refused, reset or timed out. */
    static boolean isUnreachable(Throwable failure) {
        if (failure instanceof DockerException) {
            return false; // the engine answered with an HTTP status
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) { // ConnectException, NoSuchFileException, SocketTimeoutException, ...
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The innermost message, e.g. "Connection refused" or "No such file or directory". */
    static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return msg == null || msg.isBlank() ? root.getClass().getSimpleName() : msg.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    static boolean mentions(Throwable failure, String fragment) {
        String msg = failure.getMessage();
        return msg != null && msg.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT));
    }

    private static String unescape(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\' || i + 1 == json.length()) {
                out.append(c);
                continue;
            }
            char next = json.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'u' -> {
                    if (i + 4 < json.length()) {
                        out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
