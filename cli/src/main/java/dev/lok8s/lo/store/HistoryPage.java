package dev.lok8s.lo.store;

import java.util.List;

/**
 * One page of history, newest first.
 *
 * @param next the {@code before} value for the next (older) page; null when this page is the last
 */
public record HistoryPage(List<StoredEvent> events, Long next) {
}
