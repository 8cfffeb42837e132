package dev.lok8s.lo.api;

import dev.lok8s.lo.upstream.MirrorUpstreams;
import dev.lok8s.lo.upstream.RateLimitedUpstream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pull budget gauges, read from a real check against a fake rate-limited upstream on 127.0.0.1: one gauge
 * of each figure per recorded mirror, NaN while an upstream reports none.
 */
class PullBudgetMetricsTest {

    @Test
    void eachRecordedMirrorHasItsRemainingLimitAndWindow() throws Exception {
        Path state = Files.createTempDirectory("lo-budget-metrics-");
        try (RateLimitedUpstream fake = RateLimitedUpstream.start("u", "p", Map.of("anonymous",
                new String[]{"100;w=21600", "42;w=21600"}))) {
            MirrorUpstreams upstreams = new MirrorUpstreams(Map.of("HOME", state.toString()), state,
                    Duration.ofSeconds(2), Duration.ofSeconds(3), List::of);
            PullBudgetMetrics metrics = new PullBudgetMetrics();
            metrics.httpEnabled = true;
            metrics.mirrors = () -> Map.of("lotest-m-registry-io-docker", fake.url(), "lotest-m-registry-io-quay",
                    "http://127.0.0.1:9");
            metrics.ask = upstreams::budgets;
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            metrics.bindTo(registry);
            metrics.refresh();

            assertThat(registry.get("lo.mirror.pull.budget.remaining").tag("mirror", "lotest-m-registry-io-docker")
                    .tag("upstream", fake.server()).gauge().value()).isEqualTo(42);
            assertThat(registry.get("lo.mirror.pull.budget.limit").tag("mirror", "lotest-m-registry-io-docker")
                    .gauge().value()).isEqualTo(100);
            assertThat(registry.get("lo.mirror.pull.budget.window.seconds").tag("mirror", "lotest-m-registry-io-docker")
                    .gauge().value()).isEqualTo(21600);
            assertThat(registry.get("lo.mirror.pull.budget.remaining").tag("mirror", "lotest-m-registry-io-quay")
                    .gauge().value()).as("an upstream that does not answer").isNaN();
            assertThat(registry.get("lo.mirror.pull.budget.reported").gauge().value()).isEqualTo(1);

            fake.headers(Map.of());
            metrics.refresh();
            assertThat(registry.get("lo.mirror.pull.budget.remaining").tag("mirror", "lotest-m-registry-io-docker")
                    .gauge().value()).as("no longer reported").isNaN();
        }
    }
}
