package dev.lok8s.lo.api;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.projection.RegistryLog.RecordedRegistry;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.upstream.MirrorUpstreams;
import dev.lok8s.lo.upstream.PullBudget;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The mirrors' pull budgets as Prometheus gauges: {@code lo_mirror_pull_budget_remaining{mirror,upstream}},
 * {@code lo_mirror_pull_budget_limit{mirror,upstream}} and {@code lo_mirror_pull_budget_window_seconds}, for
 * every mirror the log records whose container runs, each registered as its mirror first appears; and
 * {@code lo_mirror_pull_budget_reported}, how many of them had a budget reported. A scrape never waits for an
 * upstream: it reads the budgets last asked, and when they are older than {@link ServedPullBudgets#FRESH_FOR}
 * starts asking again in the background (one refresh at a time). A budget not reported or unknown reads NaN.
 */
@Singleton
public class PullBudgetMetrics implements MeterBinder {

    private static final Logger LOG = Logger.getLogger(PullBudgetMetrics.class);

    @Inject
    EventStore store;

    @Inject
    MirrorUpstreams upstreams;

    @Inject
    ContainerEngine engine;

    @Inject
    ServedPullBudgets served;

    @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true")
    boolean httpEnabled;

    /** The mirrors to ask (upstream by container) and how to ask them; set from the beans unless a test sets them. */
    Supplier<Map<String, String>> mirrors;
    Function<Map<String, String>, Map<String, PullBudget>> ask;

    private volatile MeterRegistry registry;
    private volatile Map<String, PullBudget> budgets = Map.of();
    private volatile long askedAt;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final Set<String> registered = new HashSet<>();

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!httpEnabled) {
            return;
        }
        this.registry = registry;
        if (mirrors == null) {
            mirrors = this::recordedMirrors;
        }
        if (ask == null) {
            ask = m -> served.budgets("recorded " + m, () -> upstreams.budgets(m));
        }
        // a gauge that starts the first refresh and says how many mirrors have a reported budget
        Gauge.builder("lo.mirror.pull.budget.reported", this, PullBudgetMetrics::reported)
                .description("mirrors whose upstream reported a pull budget at the last check").register(registry);
    }

    private double reported() {
        refreshIfStale();
        return budgets.values().stream().filter(b -> b.state() == PullBudget.State.REPORTED).count();
    }

    /** The upstream by container of every mirror the log records whose container runs now. */
    private Map<String, String> recordedMirrors() {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordedRegistry r : ReadModels.of(store).registries().recordedRegistries()) {
            if (r.role() == Role.MIRROR && r.upstream() != null
                    && engine.findContainer(r.container()).map(ContainerInfo::running).orElse(false)) {
                out.put(r.container(), r.upstream());
            }
        }
        return out;
    }

    /** Starts a refresh in the background when the budgets are stale and none is running. */
    void refreshIfStale() {
        if (System.nanoTime() - askedAt < ServedPullBudgets.FRESH_FOR.toNanos() && askedAt != 0) {
            return;
        }
        if (refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("lo-pull-budgets").start(() -> {
                try {
                    refresh();
                } finally {
                    refreshing.set(false);
                }
            });
        }
    }

    /** Asks every recorded mirror's budget now and registers gauges for mirrors not seen before. */
    void refresh() {
        try {
            Map<String, String> now = mirrors.get();
            Map<String, PullBudget> asked = now.isEmpty() ? Map.of() : ask.apply(now);
            budgets = asked;
            askedAt = System.nanoTime();
            register(now, asked);
        } catch (RuntimeException e) {
            askedAt = System.nanoTime();
            LOG.warn("metrics: cannot ask the mirrors' pull budgets: " + e.getMessage());
        }
    }

    private synchronized void register(Map<String, String> mirrors, Map<String, PullBudget> asked) {
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        for (var mirror : mirrors.entrySet()) {
            String container = mirror.getKey();
            if (!registered.add(container)) {
                continue;
            }
            PullBudget first = asked.get(container);
            String upstream = first == null || first.upstream() == null ? mirror.getValue() : first.upstream();
            for (String figure : List.of("remaining", "limit", "window.seconds")) {
                Gauge.builder("lo.mirror.pull.budget." + figure, this, m -> m.figure(container, figure))
                        .description(switch (figure) {
                            case "remaining" -> "pulls the mirror's upstream says its login has left (NaN: not reported)";
                            case "limit" -> "pulls the mirror's upstream allows its login per window (NaN: not reported)";
                            default -> "the length of the upstream's pull window in seconds (NaN: not reported)";
                        })
                        .tags("mirror", container, "upstream", upstream).register(meters);
            }
        }
    }

    private double figure(String container, String figure) {
        refreshIfStale();
        PullBudget b = budgets.get(container);
        if (b == null || b.state() != PullBudget.State.REPORTED) {
            return Double.NaN;
        }
        Long value = switch (figure) {
            case "remaining" -> b.remaining();
            case "limit" -> b.limit();
            default -> b.windowSeconds();
        };
        return value == null ? Double.NaN : value;
    }
}
