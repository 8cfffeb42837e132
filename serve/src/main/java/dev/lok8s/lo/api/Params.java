package dev.lok8s.lo.api;

import java.time.Instant;
import java.util.UUID;

/**
 * Query parameters arrive as text and are checked here, so a bad one is a 400 naming it (JAX-RS's
 * own conversion would answer 404). Accepts what {@code lo history} accepts.
 */
final class Params {

    static final int MAX_LIMIT = 10_000;

    private Params() {
    }

    /** Rejects query parameters the resource does not know, so a misspelt filter is not silently ignored. */
    static void only(jakarta.ws.rs.core.UriInfo uri, String... known) {
        java.util.Set<String> allowed = java.util.Set.of(known);
        for (String name : new java.util.TreeSet<>(uri.getQueryParameters().keySet())) {
            if (!allowed.contains(name)) {
                throw new BadParameterException(name, "unknown query parameter"
                        + (known.length == 0 ? "; this resource takes none" : "; known: " + String.join(", ", known)));
            }
        }
    }

    static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    static int limit(String name, String value, int defaultValue) {
        return value == null ? defaultValue : (int) positive(name, value, MAX_LIMIT);
    }

    static Long position(String name, String value) {
        return value == null ? null : positive(name, value, Long.MAX_VALUE);
    }

    /** A position from which to follow; 0 allowed (from the start of the log). */
    static Long nonNegative(String name, String value) {
        if (value == null) {
            return null;
        }
        return value.strip().equals("0") ? 0L : positive(name, value, Long.MAX_VALUE);
    }

    static long positive(String name, String value, long max) {
        try {
            long n = Long.parseLong(value.strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new BadParameterException(name, "'" + value + "' is not a number from 1 to " + max);
    }

    /** ISO-8601 instant, offset date-time, or a date (UTC midnight). */
    static Instant time(String name, String value) {
        if (value == null) {
            return null;
        }
        return dev.lok8s.lo.store.HistoryQuery.parseTime(value).orElseThrow(() -> new BadParameterException(name,
                "'" + value + "' " + dev.lok8s.lo.store.HistoryQuery.TIME_FORMS));
    }

    static UUID uuid(String name, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new BadParameterException(name, "no run matches '" + value + "'");
        }
    }
}
