package dev.lok8s.lo.store;

import java.time.Instant;
import java.util.UUID;

/**
 * Filters for {@code lo history}; null means "no filter". Results are newest first.
 *
 * @param before   only events with a smaller position (paging: pass the previous page's {@code next})
 * @param machines only events of these machines (null: every machine)
 */
public record HistoryQuery(String domain, String type, UUID runId, Instant since, Instant until, int limit,
                           Long before, MachineFilter machines) {

    /**
     * Machines by id (as {@code lo history --host} resolved them). Events recorded before lo knew machines
     * count as the reading machine's: they match when its id is among these.
     */
    public record MachineFilter(java.util.List<String> ids) {
        public MachineFilter {
            ids = java.util.List.copyOf(ids);
        }
    }

    public HistoryQuery(String domain, String type, UUID runId, Instant since, Instant until, int limit, Long before) {
        this(domain, type, runId, since, until, limit, before, null);
    }

    public static final int DEFAULT_LIMIT = 50;

    public HistoryQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(null, null, null, null, null, limit, null, null);
    }

    /** What {@link #parseTime} accepts, for error messages of the CLI and the API. */
    public static final String TIME_FORMS = "is not an ISO-8601 time (for example 2026-11-27T18:01:02Z or 2026-11-27)";

    /**
     * A {@code --since}/{@code --until} value: an instant, an offset date-time, or a date (UTC
     * midnight); empty when the text is none of these.
     */
    public static java.util.Optional<Instant> parseTime(String text) {
        try {
            return java.util.Optional.of(Instant.parse(text));
        } catch (java.time.format.DateTimeParseException ignored) {
            // next form
        }
        try {
            return java.util.Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
        } catch (java.time.format.DateTimeParseException ignored) {
            // next form
        }
        try {
            return java.util.Optional.of(java.time.LocalDate.parse(text).atStartOfDay()
                    .toInstant(java.time.ZoneOffset.UTC));
        } catch (java.time.format.DateTimeParseException e) {
            return java.util.Optional.empty();
        }
    }
}
