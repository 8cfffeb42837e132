package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A usage report has a deadline and stops when it is cancelled. The engine here answers three calls
 * (no volumes; every registry container exists, stopped, so no registry is asked over the network;
 * its log takes a minute to come), which is all a report of stopped registries makes: what is being
 * checked is that nothing keeps running past the deadline or after the caller gave up.
 */
class UsageDeadlineTest {

    private final AtomicInteger reading = new AtomicInteger();
    private final AtomicInteger interrupted = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);

    /** The engine port with a minute-long log read; any other call is a test failure. */
    private ContainerEngine slowLogs() {
        return (ContainerEngine) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{ContainerEngine.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "volumeSizes" -> Map.of();
                    case "findContainer" -> Optional.of(new ContainerInfo("id", (String) args[0], "registry", "exited",
                            Map.of(), Map.of()));
                    case "logs" -> {
                        reading.incrementAndGet();
                        started.countDown();
                        try {
                            Thread.sleep(Duration.ofMinutes(1));
                        } catch (InterruptedException e) {
                            interrupted.incrementAndGet();
                        } finally {
                            reading.decrementAndGet();
                        }
                        yield "";
                    }
                    default -> throw new AssertionError("unexpected engine call " + method.getName());
                });
    }

    private static RegistryPlan plan() {
        return SpecBuilder.slot(61).shared(false).plan();
    }

    @Test
    void registriesNotMeasuredByTheDeadlineAreReportedSoAndTheirWorkIsStopped() throws Exception {
        RegistryPlan plan = plan();
        long t0 = System.nanoTime();
        UsageReport report = new UsageService(null, slowLogs()).report(plan, Duration.ofMillis(800));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("a report with a deadline of 800 ms over logs that take a minute").isLessThan(20_000);
        assertThat(report.registries()).hasSize(plan.registries().size());
        assertThat(report.registries()).allSatisfy(r -> {
            assertThat(r.error()).isEqualTo("not measured within 800 ms, the most lo spends on one usage report");
            assertThat(r.state()).isEqualTo("unknown");
        });
        awaitNoneReading();
        assertThat(interrupted.get()).as("log reads interrupted").isEqualTo(plan.registries().size());
    }

    @Test
    void aCancelledReportStopsEveryMeasurement() throws Exception {
        RegistryPlan plan = plan();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                new UsageService(null, slowLogs()).report(plan, Duration.ofMinutes(5));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        assertThat(started.await(20, TimeUnit.SECONDS)).as("a measurement started").isTrue();
        caller.interrupt();
        assertThat(caller.join(Duration.ofSeconds(20))).as("the report returned after its caller gave up").isTrue();
        assertThat(thrown.get()).isInstanceOf(UsageService.UsageCancelledException.class);
        awaitNoneReading();
        assertThat(interrupted.get()).as("log reads interrupted").isPositive();
    }

    private void awaitNoneReading() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (reading.get() > 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(reading.get()).as("measurements still running").isZero();
    }
}
