package dev.lok8s.lo.cache;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A distribution registry's access log: the combined-format lines it writes to its output for
 * every request, e.g.
 * {@code 10.1.2.3 - - [01/Dec/2026:12:17:31 +0000] "GET /v2/library/demo/manifests/1 HTTP/1.1" 200 527 "" "containerd/1.6.20"}.
 *
 * <p>Any client of a registry writes part of these lines (its path, its user agent), so the reading
 * is bounded three ways: each line is scanned once, left to right, without a regular expression
 * (no backtracking whatever the text); a line longer than {@link #MAX_LINE_CHARS} is skipped
 * unread (a real request line is well under 1 KiB); and at most {@link #MAX_LINES} lines are read,
 * under a deadline for the whole read.
 */
public final class AccessLog {

    /** Longest line read; longer ones are skipped and counted. */
    public static final int MAX_LINE_CHARS = 4096;
    /** Most lines read from one log text. */
    public static final int MAX_LINES = 20_000;
    /** How long one read may take before it stops with what it has. */
    public static final Duration DEADLINE = Duration.ofSeconds(5);

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final int MAX_TIME_CHARS = 40;
    private static final String MANIFESTS = "/manifests/";
    private static final String BLOBS = "/blobs/";

    /** What a request asked for. */
    public enum Target {
        MANIFEST, BLOB, OTHER
    }

    /**
     * One request line.
     *
     * @param client     the client's address as the registry saw it
     * @param path       the request's path without its query
     * @param repository for manifests and blobs, the repository; else null
     * @param reference  a manifest's tag or digest, a blob's digest; else null
     * @param bytes      the response's size in bytes as logged ({@code -} is 0)
     */
    public record Request(String client, Instant at, String method, String path, Target target,
                          String repository, String reference, int status, long bytes, String userAgent) {

        /** A GET answered 2xx. */
        public boolean served() {
            return "GET".equals(method) && status >= 200 && status < 300;
        }

        /** Sent by {@code lo} itself (warm, usage). */
        public boolean byLo() {
            return userAgent.startsWith(RegistryHttp.USER_AGENT);
        }
    }

    /** A served pull: when, and the repository and reference asked for. */
    public record Pull(Instant at, String repository, String reference) {
    }

    /**
     * The requests of one read.
     *
     * @param skipped lines that were not access-log lines or were longer than {@link #MAX_LINE_CHARS}
     * @param cut     whether the read stopped early: more than {@link #MAX_LINES} lines, or the deadline
     */
    public record Read(List<Request> requests, int skipped, boolean cut) {
        public Read {
            requests = List.copyOf(requests);
        }
    }

    private AccessLog() {
    }

    /** The newest manifest {@code GET} answered 2xx to a client other than {@code lo}, among the lines read. */
    public static Optional<Pull> lastPull(String log) {
        Pull last = null;
        for (Request r : read(log, DEADLINE).requests()) {
            if (r.target() == Target.MANIFEST && r.served() && !r.byLo()
                    && (last == null || !r.at().isBefore(last.at()))) {
                last = new Pull(r.at(), r.repository(), r.reference());
            }
        }
        return Optional.ofNullable(last);
    }

    /** Every access-log line of {@code log}, bounded by {@link #MAX_LINES} and {@code deadline}. */
    public static Read read(String log, Duration deadline) {
        long stopAt = System.nanoTime() + deadline.toNanos();
        List<Request> requests = new ArrayList<>();
        int skipped = 0;
        int lines = 0;
        int start = 0;
        int length = log.length();
        while (start < length) {
            if (lines == MAX_LINES || System.nanoTime() - stopAt > 0) {
                return new Read(requests, skipped, true);
            }
            int end = log.indexOf('\n', start);
            if (end < 0) {
                end = length;
            }
            lines++;
            if (end - start > MAX_LINE_CHARS) {
                skipped++;
            } else {
                Request request = parse(log, start, end);
                if (request == null) {
                    skipped++;
                } else {
                    requests.add(request);
                }
            }
            start = end + 1;
        }
        return new Read(requests, skipped, false);
    }

    /** One line, or null when it is not an access-log line. */
    public static Request parseLine(String line) {
        return line.length() > MAX_LINE_CHARS ? null : parse(line, 0, line.length());
    }

    // host ident user [time] "METHOD URI PROTOCOL" status bytes "referer" "user-agent"
    private static Request parse(String s, int from, int end) {
        if (end > from && s.charAt(end - 1) == '\r') {
            end--;
        }
        int p = s.indexOf(' ', from);
        if (p < 0 || p >= end || p == from) {
            return null;
        }
        String client = s.substring(from, p);
        int open = s.indexOf(" [", p);
        if (open < 0 || open >= end) {
            return null;
        }
        int close = s.indexOf(']', open + 2);
        if (close < 0 || close >= end || close - open - 2 > MAX_TIME_CHARS) {
            return null;
        }
        Instant at;
        try {
            at = ZonedDateTime.parse(s.substring(open + 2, close), TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        p = close + 1;
        if (!startsWith(s, p, end, " \"")) {
            return null;
        }
        p += 2;
        int methodEnd = s.indexOf(' ', p);
        if (methodEnd < 0 || methodEnd >= end) {
            return null;
        }
        String method = s.substring(p, methodEnd);
        int uriEnd = s.indexOf(' ', methodEnd + 1);
        if (uriEnd < 0 || uriEnd >= end) {
            return null;
        }
        String uri = s.substring(methodEnd + 1, uriEnd);
        int requestEnd = s.indexOf("\" ", uriEnd + 1);
        if (requestEnd < 0 || requestEnd >= end) {
            return null;
        }
        p = requestEnd + 2;
        int statusEnd = s.indexOf(' ', p);
        if (statusEnd < 0 || statusEnd >= end || statusEnd - p != 3) {
            return null;
        }
        int status = digits(s, p, statusEnd);
        int sizeEnd = s.indexOf(' ', statusEnd + 1);
        if (status < 0 || sizeEnd < 0 || sizeEnd >= end) {
            return null;
        }
        long bytes = "-".equals(s.substring(statusEnd + 1, sizeEnd)) ? 0 : longDigits(s, statusEnd + 1, sizeEnd);
        if (bytes < 0) {
            return null;
        }
        p = sizeEnd + 1;
        int refererEnd = quoted(s, p, end);
        if (refererEnd < 0 || !startsWith(s, refererEnd + 1, end, " ")) {
            return null;
        }
        int agentStart = refererEnd + 2;
        int agentEnd = quoted(s, agentStart, end);
        if (agentEnd < 0) {
            return null;
        }
        String userAgent = s.substring(agentStart + 1, agentEnd);
        return request(client, at, method, uri, status, bytes, userAgent);
    }

    private static Request request(String client, Instant at, String method, String uri, int status, long bytes,
                                   String userAgent) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        Target target = Target.OTHER;
        String repository = null;
        String reference = null;
        if (path.startsWith("/v2/")) {
            int manifests = path.lastIndexOf(MANIFESTS);
            int blobs = path.lastIndexOf(BLOBS);
            if (manifests > 4 && manifests > blobs) {
                target = Target.MANIFEST;
                repository = path.substring(4, manifests);
                reference = path.substring(manifests + MANIFESTS.length());
            } else if (blobs > 4 && !path.startsWith("/uploads/", blobs + BLOBS.length() - 1)) {
                target = Target.BLOB;
                repository = path.substring(4, blobs);
                reference = path.substring(blobs + BLOBS.length());
            }
            if (target != Target.OTHER && (reference.isEmpty() || reference.indexOf('/') >= 0)) {
                target = Target.OTHER;
                repository = null;
                reference = null;
            }
        }
        return new Request(client, at, method, path, target, repository, reference, status, bytes, userAgent);
    }

    /** The index of the closing quote of a quoted field starting at {@code p}, or -1; {@code \"} does not close it. */
    private static int quoted(String s, int p, int end) {
        if (p >= end || s.charAt(p) != '"') {
            return -1;
        }
        for (int i = p + 1; i < end; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(String s, int p, int end, String prefix) {
        return p + prefix.length() <= end && s.startsWith(prefix, p);
    }

    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static long longDigits(String s, int from, int to) {
        if (to <= from || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
