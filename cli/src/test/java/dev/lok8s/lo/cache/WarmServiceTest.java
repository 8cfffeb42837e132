package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.events.ImageWarmed;
import dev.lok8s.lo.events.RunFailed;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.projection.RunHistory;
import dev.lok8s.lo.projection.RunStatus;
import dev.lok8s.lo.projection.RunSummary;
import dev.lok8s.lo.run.ProgressListener;
import dev.lok8s.lo.run.ProjectLeases;
import dev.lok8s.lo.run.WarmService;
import dev.lok8s.lo.spec.SpecBuilder;
import dev.lok8s.lo.store.EventStore;
import dev.lok8s.lo.store.StoreEngine;
import dev.lok8s.lo.store.StoredEvent;
import dev.lok8s.lo.store.TestStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A whole {@code lo registry warm} run on a real H2 store against a real HTTP server on loopback standing
 * in for the mirror (the engine is asked only whether the mirror's container runs): one image's failure,
 * however long and hostile its text, is recorded cut and escaped, and never costs the others their result.
 */
class WarmServiceTest {

    TestRegistry registry;
    TestStore temp;
    EventStore store;

    @BeforeEach
    void open() throws Exception {
        registry = new TestRegistry();
        temp = StoreEngine.H2.open();
        store = TestStore.eventStore(temp.dataSource());
    }

    @AfterEach
    void close() throws Exception {
        registry.close();
        temp.close();
    }

    WarmService.Outcome warm(List<String> images) {
        RegistryPlan plan = SpecBuilder.defaultCluster().plan();
        PlannedRegistry mirror = WarmTargets.mirrorFor(plan, ImageName.parse("busybox"));
        PlannedRegistry local = new PlannedRegistry(mirror.name(), mirror.role(), mirror.container(), mirror.network(),
                mirror.ip(), mirror.hostname(), registry.base() + "/v2/_catalog", mirror.upstream(), mirror.volume(),
                mirror.config(), mirror.configHash(), mirror.labels());
        List<WarmTargets.Target> targets = images.stream()
                .map(i -> new WarmTargets.Target(ImageName.parse(i), local)).toList();
        ProjectLeases leases = new ProjectLeases(temp.dataSource(), store.machine().id(), Duration.ofSeconds(5),
                line -> { });
        WarmService service = new WarmService(store, leases, name -> Optional.of(new ContainerInfo("id", name,
                "registry", "running", Map.of(), Map.of())));
        WarmLimits limits = new WarmLimits(2, 4, Duration.ofSeconds(5), Duration.ofSeconds(5), 1024 * 1024,
                Duration.ofSeconds(60));
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> service.warm(plan, targets, null, limits,
                false, "lo registry warm", CacheWarmerTest.QUIET, ProgressListener.SILENT));
    }

    @Test
    void aHugeHostileErrorIsRecordedCutAndTheOtherImagesResultIsKept() {
        String hostile = "\u001b]0;owned\u0007\u001b[2J" + "x".repeat(1_500_000);
        registry.on("/v2/library/hostile/manifests/1", exchange -> registry.send(exchange, 404, "text/plain", hostile));
        registry.image("library/demo", "1", List.of(CacheWarmerTest.random(1000, 1), CacheWarmerTest.random(5000, 2)),
                Map.of());

        WarmService.Outcome outcome = warm(List.of("hostile:1", "demo:1"));

        assertThat(outcome.warmed()).extracting(w -> w.image().toString()).containsExactly("docker.io/library/demo:1");
        assertThat(outcome.failures()).hasSize(1);
        String error = outcome.failures().getFirst().error();
        assertThat(error).contains("HTTP 404", "\\u001b]0;owned\\u0007").doesNotContain("\u001b", "\u0007");
        assertThat(error.length()).isLessThan(1000);

        List<StoredEvent> events = store.readStream("run-" + outcome.runId());
        assertThat(events).extracting(e -> e.event().getClass().getSimpleName())
                .contains("RunStarted", "ImageWarmed", "StepCompleted").last().isEqualTo("RunFailed");
        ImageWarmed warmed = (ImageWarmed) events.stream().map(StoredEvent::event)
                .filter(ImageWarmed.class::isInstance).findFirst().orElseThrow();
        assertThat(warmed.image()).isEqualTo("docker.io/library/demo:1");
        RunFailed failed = (RunFailed) events.getLast().event();
        assertThat(failed.error()).startsWith("1 of 2 images failed: docker.io/library/hostile:1: ")
                .doesNotContain("\u001b");
        RunSummary run = new RunHistory(temp.dataSource()).show(outcome.runId().toString()).orElseThrow().run();
        assertThat(run.status()).as("the run ended, not interrupted").isEqualTo(RunStatus.failed);
    }

    @Test
    void imagesAreWarmedSideBySideAndReportedInTheOrderGiven() {
        for (String name : List.of("a", "b", "c")) {
            byte[] blob = CacheWarmerTest.random(2000, name.hashCode());
            String digest = TestRegistry.digest(blob);
            registry.on("/v2/library/" + name + "/blobs/" + digest, exchange -> {
                Thread.sleep(400);  // long enough that images overlap if they may
                registry.send(exchange, 200, "application/octet-stream", blob);
            });
            byte[] manifest = TestRegistry.manifest(List.of(TestRegistry.descriptor(digest, blob.length)));
            registry.on("/v2/library/" + name + "/manifests/1",
                    e -> registry.send(e, 200, Manifest.OCI_MANIFEST, manifest));
        }

        WarmService.Outcome outcome = warm(List.of("c:1", "a:1", "b:1"));

        assertThat(outcome.failures()).isEmpty();
        assertThat(outcome.warmed()).extracting(w -> w.image().repository())
                .containsExactly("library/c", "library/a", "library/b");
        assertThat(registry.mostBlobsAtOnce.get()).as("two images at once (lo.warm.parallel-images=2)").isEqualTo(2);
    }

    @Test
    void aWarmHoldsTheProjectsLeaseAndIsRefusedWhileAnotherRunHoldsIt() throws Exception {
        RegistryPlan plan = SpecBuilder.defaultCluster().plan();
        AtomicBoolean asked = new AtomicBoolean();
        registry.on("/v2/library/demo/manifests/1", exchange -> {
            asked.set(true);
            registry.send(exchange, 404, "text/plain", "none");
        });
        // another process of this machine holds the project's lease, as a provision would
        Process holder = new ProcessBuilder("sleep", "60").start();
        try {
            try (Connection c = temp.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO leases (machine_id, project, run_id, pid, host, acquired_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, store.machine().id());
                ps.setString(2, plan.project());
                ps.setObject(3, UUID.randomUUID());
                ps.setLong(4, holder.pid());
                ps.setString(5, "here");
                ps.setObject(6, OffsetDateTime.now(ZoneOffset.UTC));
                ps.executeUpdate();
            }

            assertThatThrownBy(() -> warm(List.of("demo:1")))
                    .isInstanceOfSatisfying(ProjectLeases.LeaseBusyException.class,
                            e -> assertThat(e.holder().pid()).isEqualTo(holder.pid()));
            assertThat(asked).as("nothing fetched").isFalse();
            assertThat(new RunHistory(temp.dataSource()).list(null, 10)).as("no run started").isEmpty();
        } finally {
            holder.destroyForcibly();
        }
    }
}
