package dev.lok8s.lo.api;

import dev.lok8s.lo.projection.Projector;
import dev.lok8s.lo.machine.Machine;
import dev.lok8s.lo.events.EventMetadata;
import dev.lok8s.lo.events.LoEvent;
import dev.lok8s.lo.events.RunCompleted;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.events.RunResumed;
import dev.lok8s.lo.events.RunStarted;
import dev.lok8s.lo.events.StepCompleted;
import dev.lok8s.lo.events.StepOutcome;
import dev.lok8s.lo.projection.RunStatus;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.ExpectedVersion;
import dev.lok8s.lo.store.H2Store;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The Prometheus counters against a real H2 store: a resumed run must not take counts back. */
class ProjectionMetricsTest {

    static final UUID RUN = UUID.fromString("9a9b9c9d-1111-4222-8333-444455556666");

    @Test
    void countersOnlyRiseWhenAFailedRunIsResumed() throws Exception {
        Path dir = Files.createTempDirectory("lo-metrics-");
        try {
            // a real migrated H2 file store, opened as lo opens it (user LO), without booting Quarkus
            H2Store h2 = H2Store.at(dir);
            h2.prepare();
            Flyway.configure().dataSource(h2.dataSource()).locations("classpath:db/migration").load().migrate();
            EventStore store = new EventStore(h2.dataSource(), Machine.unnamed(), new Projector());
            ProjectionMetrics metrics = new ProjectionMetrics();
            metrics.store = store;
            long pid = ProcessHandle.current().pid();

            append(store, new RunStarted(RUN, "provision", "m.dev", "m", "h", pid, "host"),
                    new StepCompleted(RUN, "m.dev", "m", "network", StepOutcome.created, 100),
                    new RunFailed(RUN, "m.dev", "m", "registry-build", "image not found"));
            ProjectionMetrics.Snapshot failed = fresh(metrics);
            assertThat(failed.failures()).isEqualTo(1);
            assertThat(failed.steps().get(StepOutcome.created).count()).isEqualTo(1);
            assertThat(failed.runDurations().get(RunStatus.failed).count()).as("a failed attempt").isEqualTo(1);

            // the resumed run checks the network again (its row in run_steps now says unchanged) and completes
            append(store, new RunResumed(RUN, "provision", "m.dev", "m", "h", pid, "host", 1),
                    new StepCompleted(RUN, "m.dev", "m", "network", StepOutcome.unchanged, 5),
                    new RunCompleted(RUN, "m.dev", "m", 3000));
            ProjectionMetrics.Snapshot resumed = fresh(metrics);
            assertThat(resumed.failures()).as("lo_run_failures_total keeps the failure the resume recovered from")
                    .isEqualTo(1);
            assertThat(resumed.steps().get(StepOutcome.created).count())
                    .as("lo_steps_total{outcome=created} keeps the first attempt").isEqualTo(1);
            assertThat(resumed.steps().get(StepOutcome.created).seconds()).isEqualTo(0.1);
            assertThat(resumed.steps().get(StepOutcome.unchanged).count()).as("and counts the step checked again")
                    .isEqualTo(1);
            assertThat(resumed.runDurations().get(RunStatus.failed).count())
                    .as("lo_run_duration_seconds{status=failed} keeps the failed attempt").isEqualTo(1);
            assertThat(resumed.runDurations().get(RunStatus.completed).count()).as("and times the resumed one")
                    .isEqualTo(1);

            append(store, new RunResumed(RUN, "provision", "m.dev", "m", "h", pid, "host", 1),
                    new RunFailed(RUN, "m.dev", "m", "verify", "again"));
            ProjectionMetrics.Snapshot again = fresh(metrics);
            assertThat(again.failures()).as("a second failure counts again").isEqualTo(2);
            assertThat(again.runDurations().get(RunStatus.failed).count()).as("and is timed again").isEqualTo(2);
            assertThat(again.runDurations().get(RunStatus.completed).count()).isEqualTo(1);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void mirrorHitsAndMissesArePrometheusCountersPerMirrorAndProject() throws Exception {
        Path dir = Files.createTempDirectory("lo-metrics-");
        try {
            H2Store h2 = H2Store.at(dir);
            h2.prepare();
            Flyway.configure().dataSource(h2.dataSource()).locations("classpath:db/migration").load().migrate();
            EventStore store = new EventStore(h2.dataSource(), Machine.unnamed(), new Projector());
            ProjectionMetrics metrics = new ProjectionMetrics();
            metrics.store = store;
            metrics.httpEnabled = true;
            var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            metrics.bindTo(registry);
            java.time.Instant hour = java.time.Instant.parse("2026-12-01T10:00:00Z");
            store.append("network-n", ExpectedVersion.ANY, List.of(
                    new dev.lok8s.lo.events.NodeConnected("m.dev", "m", "m-control-plane", "n", "10.0.0.10")), null);
            store.append("mirror-mx", ExpectedVersion.ANY, List.of(new dev.lok8s.lo.events.MirrorLogRead("m.dev", "m",
                    "mx", "c", hour, List.of(), List.of(
                    new dev.lok8s.lo.events.MirrorLogRead.Traffic(hour, "10.0.0.10", 4, 1, 400, 100),
                    new dev.lok8s.lo.events.MirrorLogRead.Traffic(hour, "10.0.0.1", 0, 2, 0, 50)), 0, false)), null);
            fresh(metrics);
            assertThat(registry.get("lo.mirror.blob.requests").tags("mirror", "mx", "project", "m", "result", "hit")
                    .functionCounter().count()).isEqualTo(4);
            assertThat(registry.get("lo.mirror.blob.bytes").tags("mirror", "mx", "project", "m", "result", "miss")
                    .functionCounter().count()).isEqualTo(100);
            assertThat(registry.get("lo.mirror.blob.requests").tags("mirror", "mx", "project", "", "result", "miss")
                    .functionCounter().count()).as("the host, which lo cannot name").isEqualTo(2);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static ProjectionMetrics.Snapshot fresh(ProjectionMetrics metrics) throws InterruptedException {
        Thread.sleep(1100); // snapshots are reused for a second
        return metrics.snapshot();
    }

    private static void append(EventStore store, LoEvent... events) {
        store.append("run-" + RUN, ExpectedVersion.ANY, List.of(events),
                EventMetadata.local(RUN, "lo provision m.dev", "test"));
    }
}
