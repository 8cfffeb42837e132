package dev.lok8s.lo.api;

import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunResumed;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.projection.MirrorTraffic;
import dev.lok8s.lo.projection.ReadModels;
import dev.lok8s.lo.projection.RunStats.Totals;
import dev.lok8s.lo.projection.RunStats;
import dev.lok8s.lo.projection.RunStatus;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoredEvent;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics of what lo did, computed from the store (so they count the whole log, whichever
 * process appended it) at scrape time, at most once a second. The counters ({@code lo_run_failures_total},
 * {@code lo_steps_total}, {@code lo_step_duration_seconds}) count events, not read-model rows: a resumed
 * run rewrites its row and its steps' rows, but never takes back the RunFailed and StepCompleted events
 * already in the log, so the counters only rise. Run durations ({@code lo_run_duration_seconds}) are
 * counted the same way, one per ended attempt: from its RunStarted or RunResumed to its RunCompleted or
 * RunFailed. They are tallied incrementally from the last position counted. The gauges come from the
 * runs read model:
 * {@code lo_runs{status}} (gauge), {@code lo_run_failures_total}, {@code lo_run_duration_seconds{status}}
 * (count/sum of ended runs), {@code lo_steps_total{outcome}}, {@code lo_step_duration_seconds{outcome}}
 * (count/sum), {@code lo_store_head_position}. The mirrors' traffic comes from their read model (as far as
 * lo has read their logs): {@code lo_mirror_blob_requests_total{mirror,project,result}} and
 * {@code lo_mirror_blob_bytes_total{mirror,project,result}}, {@code result} {@code hit} (served from the
 * cache) or {@code miss} (fetched from upstream), {@code project} empty for a client lo cannot name;
 * registered as each mirror and project first appears.
 */
@Singleton
public class ProjectionMetrics implements MeterBinder {

    private static final Logger LOG = Logger.getLogger(ProjectionMetrics.class);
    private static final long MAX_AGE_NANOS = Duration.ofSeconds(1).toNanos();

    record Snapshot(Map<RunStatus, Long> runs, Map<RunStatus, Totals> runDurations,
                    Map<StepOutcome, Totals> steps, long failures, long head, long takenAt,
                    Map<List<String>, MirrorTraffic.Counts> mirrors) {
    }

    private volatile MeterRegistry registry;
    private final Set<List<String>> mirrorMeters = new HashSet<>();

    /** Events counted so far: only ever added to, from the position after {@link #countedTo}. */
    private final Map<StepOutcome, Totals> stepTally = new EnumMap<>(StepOutcome.class);
    private final Map<RunStatus, Totals> runTally = new EnumMap<>(RunStatus.class);
    /** When each run's current attempt began (RunStarted or RunResumed), until it ends. */
    private final Map<UUID, Instant> attemptStarts = new HashMap<>();
    private long failureTally;
    private long countedTo;

    @Inject
    EventStore store;

    /** Metrics are only ever scraped over HTTP: CLI commands (HTTP off) skip registering them. */
    @ConfigProperty(name = "quarkus.http.host-enabled", defaultValue = "true")
    boolean httpEnabled;

    private volatile Snapshot snapshot;

    @Override
    public void bindTo(MeterRegistry registry) {
        if (!httpEnabled) {
            return;
        }
        this.registry = registry;
        for (RunStatus status : RunStatus.values()) {
            if (status == RunStatus.interrupted) {
                continue; // derived at query time from process liveness; recorded as running
            }
            Gauge.builder("lo.runs", this, m -> m.snapshot().runs.getOrDefault(status, 0L))
                    .description("runs by recorded status").tag("status", status.name()).register(registry);
        }
        FunctionCounter.builder("lo.run.failures", this, m -> m.snapshot().failures)
                .description("run failures (RunFailed events; a resumed run that fails again counts again)")
                .register(registry);
        for (RunStatus status : new RunStatus[] {RunStatus.completed, RunStatus.failed}) {
            FunctionTimer.builder("lo.run.duration", this,
                            m -> m.snapshot().runDurations.getOrDefault(status, Totals.NONE).count(),
                            m -> m.snapshot().runDurations.getOrDefault(status, Totals.NONE).seconds(), TimeUnit.SECONDS)
                    .description("wall time of ended runs").tag("status", status.name()).register(registry);
        }
        for (StepOutcome outcome : StepOutcome.values()) {
            FunctionCounter.builder("lo.steps", this,
                            m -> m.snapshot().steps.getOrDefault(outcome, Totals.NONE).count())
                    .description("completed steps by outcome").tag("outcome", outcome.name()).register(registry);
            FunctionTimer.builder("lo.step.duration", this,
                            m -> m.snapshot().steps.getOrDefault(outcome, Totals.NONE).count(),
                            m -> m.snapshot().steps.getOrDefault(outcome, Totals.NONE).seconds(), TimeUnit.SECONDS)
                    .description("step durations by outcome").tag("outcome", outcome.name()).register(registry);
        }
        Gauge.builder("lo.store.head.position", this, m -> m.snapshot().head)
                .description("position of the last event in the log").register(registry);
    }

    Snapshot snapshot() {
        Snapshot s = snapshot;
        if (s == null || System.nanoTime() - s.takenAt > MAX_AGE_NANOS) {
            synchronized (this) {
                s = snapshot;
                if (s == null || System.nanoTime() - s.takenAt > MAX_AGE_NANOS) {
                    s = read(s);
                    snapshot = s;
                }
            }
        }
        return s;
    }

    private Snapshot read(Snapshot previous) {
        try {
            RunStats.Counts runs = ReadModels.of(store).runStats().read();
            long head = store.headPosition();
            tally(head);
            Map<List<String>, MirrorTraffic.Counts> mirrors = new HashMap<>();
            for (MirrorTraffic.Counts c : ReadModels.of(store).mirrorTraffic().all()) {
                mirrors.put(List.of(c.mirror(), c.project() == null ? "" : c.project()), c);
            }
            registerMirrors(mirrors.keySet());
            return new Snapshot(runs.runs(), new EnumMap<>(runTally), new EnumMap<>(stepTally), failureTally, head,
                    System.nanoTime(), mirrors);
        } catch (RuntimeException e) {
            LOG.warn("metrics: cannot read the projections: " + e.getMessage());
            return previous != null ? new Snapshot(previous.runs, previous.runDurations, previous.steps,
                    previous.failures, previous.head, System.nanoTime(), previous.mirrors)
                    : new Snapshot(new EnumMap<>(RunStatus.class), new EnumMap<>(runTally),
                    new EnumMap<>(stepTally), failureTally, 0, System.nanoTime(), Map.of());
        }
    }

    /** Counters for each mirror and project not seen before; they read the latest snapshot. */
    private void registerMirrors(Set<List<String>> keys) {
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        for (List<String> key : keys) {
            if (!mirrorMeters.add(key)) {
                continue;
            }
            for (String result : List.of("hit", "miss")) {
                boolean hit = result.equals("hit");
                FunctionCounter.builder("lo.mirror.blob.requests", this, m -> {
                            MirrorTraffic.Counts c = m.snapshot().mirrors.get(key);
                            return c == null ? 0 : hit ? c.hits() : c.misses();
                        })
                        .description("blob requests a mirror served: hit from its cache, miss fetched from upstream")
                        .tags("mirror", key.get(0), "project", key.get(1), "result", result).register(meters);
                FunctionCounter.builder("lo.mirror.blob.bytes", this, m -> {
                            MirrorTraffic.Counts c = m.snapshot().mirrors.get(key);
                            return c == null ? 0 : hit ? c.hitBytes() : c.missBytes();
                        })
                        .description("bytes of the blobs a mirror served, by where they came from")
                        .tags("mirror", key.get(0), "project", key.get(1), "result", result).register(meters);
            }
        }
    }

    /** Adds the step and run events after {@link #countedTo} up to {@code head}. */
    private void tally(long head) {
        while (countedTo < head) {
            // a batch is added only once it was read whole: a failure half-way counts nothing twice
            long last = countedTo;
            long failures = 0;
            Map<StepOutcome, Totals> steps = new EnumMap<>(StepOutcome.class);
            Map<RunStatus, Totals> ended = new EnumMap<>(RunStatus.class);
            Map<UUID, Instant> starts = new HashMap<>(attemptStarts);
            for (StoredEvent e : store.readTypes(List.of(StepCompleted.class, RunFailed.class, RunStarted.class,
                    RunResumed.class, RunCompleted.class), countedTo, head, 5000)) {
                last = e.position();
                switch (e.event()) {
                    case RunStarted run -> starts.put(run.runId(), e.recordedAt());
                    case RunResumed run -> starts.put(run.runId(), e.recordedAt());
                    case RunCompleted run -> attemptEnded(starts.remove(run.runId()), e, RunStatus.completed, ended);
                    case RunFailed run -> {
                        failures++;
                        attemptEnded(starts.remove(run.runId()), e, RunStatus.failed, ended);
                    }
                    // an outcome written by a newer lo reads as null
                    case StepCompleted step when step.outcome() != null -> steps.merge(step.outcome(),
                            new Totals(1, step.durationMs() / 1000.0), Totals::plus);
                    default -> {
                    }
                }
            }
            failureTally += failures;
            steps.forEach((o, t) -> stepTally.merge(o, t, Totals::plus));
            ended.forEach((status, t) -> runTally.merge(status, t, Totals::plus));
            attemptStarts.clear();
            attemptStarts.putAll(starts);
            // nothing more of those types up to head: everything up to head is counted
            countedTo = last == countedTo ? head : last;
        }
    }

    /** One attempt's wall time; an end with no start in the log is not timed. */
    private static void attemptEnded(Instant start, StoredEvent end, RunStatus status, Map<RunStatus, Totals> ended) {
        if (start != null) {
            ended.merge(status, new Totals(1, Duration.between(start, end.recordedAt()).toNanos() / 1e9), Totals::plus);
        }
    }
}
