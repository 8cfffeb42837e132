package dev.lok8s.lo.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Filters for {@code lo history}; null means "no filter". Results are newest first.
 *
 * @param before    only events with a smaller position (paging: pass the previous page's {@code next})
 * @param machines  only events of these machines (null: every machine)
 * @param pageBytes a page ends before the event that would take it past this many bytes of stored
 *                  event (payload, command line and a fixed allowance per event), though never empty
 */
public record HistoryQuery(String domain, String type, UUID runId, Instant since, Instant until, int limit,
                           Long before, MachineFilter machines, long pageBytes) {

    /**
     * What one page of history may hold: with payloads of up to a million characters, 10,000 events
     * would be gigabytes, held whole while the page is rendered.
     */
    public static final long PAGE_BYTES = 4L * 1024 * 1024;

    /**
     * Machines by id (as {@code lo history --host} resolved them). Events recorded before lo knew machines
     * count as the reading machine's: they match when its id is among these.
     */
    public record MachineFilter(List<String> ids) {
        public MachineFilter {
            ids = List.copyOf(ids);
        }
    }

    public HistoryQuery(String domain, String type, UUID runId, Instant since, Instant until, int limit, Long before) {
        this(domain, type, runId, since, until, limit, before, null);
    }

    public HistoryQuery(String domain, String type, UUID runId, Instant since, Instant until, int limit, Long before,
                        MachineFilter machines) {
        this(domain, type, runId, since, until, limit, before, machines, PAGE_BYTES);
    }

    public HistoryQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (pageBytes < 1) {
            throw new IllegalArgumentException("pageBytes must be at least 1, was " + pageBytes);
        }
    }

    public static HistoryQuery latest(int limit) {
        return new HistoryQuery(null, null, null, null, null, limit, null, null);
    }

    /** The same query with another byte budget per page. */
    public HistoryQuery withPageBytes(long bytes) {
        return new HistoryQuery(domain, type, runId, since, until, limit, before, machines, bytes);
    }
}
