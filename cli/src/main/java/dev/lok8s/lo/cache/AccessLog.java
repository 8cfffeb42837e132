package dev.lok8s.lo.cache;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last pull a registry served, read from its access log (the combined-format lines a
 * distribution registry writes to its output for every request): the newest {@code GET} of a
 * manifest answered 2xx by a client other than {@code lo} itself. Only as far back as the log lines
 * read; a registry recreated since has lost its older lines.
 */
public final class AccessLog {

    /** A served pull: when, and the repository and reference asked for. */
    public record Pull(Instant at, String repository, String reference) {
    }

    // 10.1.2.3 - - [01/Dec/2026:12:17:31 +0000] "GET /v2/library/demo/manifests/1 HTTP/1.1" 200 527 "" "containerd/1.6.20"
    private static final Pattern LINE = Pattern.compile(
            "\\[([^\\]]+)] \"GET /v2/(\\S+)/manifests/(\\S+) HTTP/[0-9.]+\" (\\d{3}) \\S+ \"[^\"]*\" \"([^\"]*)\"");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private AccessLog() {
    }

    public static Optional<Pull> lastPull(String log) {
        Pull last = null;
        for (String line : log.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                continue;
            }
            int status = Integer.parseInt(m.group(4));
            if (status < 200 || status >= 300 || m.group(5).startsWith(RegistryHttp.USER_AGENT)) {
                continue;
            }
            try {
                Instant at = ZonedDateTime.parse(m.group(1), TIME).toInstant();
                if (last == null || !at.isBefore(last.at())) {
                    last = new Pull(at, m.group(2), m.group(3));
                }
            } catch (DateTimeParseException ignored) {
                // not an access-log time: skip the line
            }
        }
        return Optional.ofNullable(last);
    }
}
