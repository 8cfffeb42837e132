package dev.lok8s.lo.store;

import java.time.Instant;
import java.util.UUID;

/**
 * Filters for {@code lo history}; null means "no filter". Results are newest first.
 *
 * @param before only events with a smaller position (paging: pass the previous page's {@code next})
 */
public record HistoryQuery(String domain, String type, UUID runId, Instant since, Instant until, int limit,
                           Long before) {

    public static final int DEFAULT_LIMIT = 50;

    public HistoryQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(null, null, null, null, null, limit, null);
    }
}
