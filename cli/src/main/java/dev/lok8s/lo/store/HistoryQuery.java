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

    public HistoryQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
    }

    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(null, null, null, null, null, limit, null, null);
    }
}
