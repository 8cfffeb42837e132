package dev.lok8s.lo.api;

import dev.lok8s.lo.upstream.PullBudget;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The mirrors' pull budgets as {@code lo serve} hands them out: each set of budgets (a project's mirrors, the
 * mirrors the log records) is asked of the upstreams at most once per {@link #FRESH_FOR}, however often the
 * page reloads or Prometheus scrapes, so the upstreams (Docker Hub) see a few HEADs a minute at most.
 * Budgets are observations: nothing here is recorded.
 */
@Singleton
public class ServedPullBudgets {

    /** How long a set of budgets is served before the upstreams are asked again. */
    static final Duration FRESH_FOR = Duration.ofSeconds(60);
    /** Sets kept at most; the oldest are dropped past this. */
    static final int MAX_SETS = 256;

    private record Asked(Map<String, PullBudget> budgets, long at) {
    }

    private final Map<String, Asked> sets = new ConcurrentHashMap<>();

    /** The budgets kept under {@code key} while fresh, else what {@code ask} answers now (then kept). */
    public Map<String, PullBudget> budgets(String key, Supplier<Map<String, PullBudget>> ask) {
        Asked kept = sets.get(key);
        long now = System.nanoTime();
        if (kept != null && now - kept.at() < FRESH_FOR.toNanos()) {
            return kept.budgets();
        }
        Map<String, PullBudget> budgets = Map.copyOf(ask.get());
        if (sets.size() >= MAX_SETS) {
            sets.entrySet().stream().min(Comparator.comparingLong(e -> e.getValue().at()))
                    .ifPresent(oldest -> sets.remove(oldest.getKey()));
        }
        sets.put(key, new Asked(budgets, System.nanoTime()));
        return budgets;
    }
}
