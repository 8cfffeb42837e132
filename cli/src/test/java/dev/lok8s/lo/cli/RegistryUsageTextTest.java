package dev.lok8s.lo.cli;

import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.cache.UsageReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryUsageTextTest {

    @Test
    void oneRowPerRegistryInUnitsThenTheTotal() {
        UsageReport report = new UsageReport("lok8s", "lok8s.dev", List.of(
                new UsageReport.RegistryUsage("build", Role.BUILD, Scope.PROJECT, "lok8s-registry-build", "10.125.125.101",
                        "http://10.125.125.101/v2/_catalog", "running", "lok8s-registry-build-data", 0L, 0, 0, false,
                        null, null, List.of("lok8s"), null),
                new UsageReport.RegistryUsage("io-docker", Role.MIRROR, Scope.SHARED, "lok8s-registry-io-docker",
                        "10.125.200.2", "http://10.125.200.2/v2/_catalog", "running", "lok8s-registry-io-docker-data",
                        44_100_000L, 3, 1000, true, Instant.parse("2026-12-01T12:40:02Z"), "library/nginx:1.27",
                        List.of("lok8s", "other"), null),
                new UsageReport.RegistryUsage("io-quay", Role.MIRROR, Scope.SHARED, "lok8s-registry-io-quay", "10.125.200.3",
                        "http://10.125.200.3/v2/_catalog", "missing", "lok8s-registry-io-quay-data", null, null, null,
                        false, null, null, List.of(), null)), 44_100_000L);

        List<String> lines = RegistryUsageText.render(report);

        assertThat(lines.getFirst()).isEqualTo("Registries of lok8s (lok8s.dev):");
        assertThat(lines.get(1)).startsWith("  REGISTRY").contains("SIZE", "REPOS", "TAGS", "LAST PULL", "USED BY");
        assertThat(lines.get(2)).contains("build", "0 B", "lok8s");
        assertThat(lines.get(3)).contains("io-docker", "shared", "44.1 MB", "3+", "1000+",
                "2026-12-01 12:40:02Z library/nginx:1.27", "lok8s,other");
        assertThat(lines.get(4)).as("a missing registry").contains("io-quay", "missing").doesNotContain("null");
        assertThat(lines.getLast()).isEqualTo("Total on disk: 44.1 MB");
        assertThat(lines.get(2).indexOf("running")).as("columns line up").isEqualTo(lines.get(3).indexOf("running"));
    }

    @Test
    void theLastPulledImageComesFromALogLineAnyClientWroteAndIsShownEscaped() {
        UsageReport report = new UsageReport("lok8s", "lok8s.dev", List.of(
                new UsageReport.RegistryUsage("build", Role.BUILD, Scope.PROJECT, "lok8s-registry-build", "10.125.125.101",
                        "http://10.125.125.101/v2/_catalog", "running", "lok8s-registry-build-data", 0L, 1, 1, false,
                        Instant.parse("2026-12-01T12:40:02Z"), "app\u001b]0;owned\u0007:1", List.of("lok8s"), null)), 0L);
        assertThat(RegistryUsageText.render(report).get(2)).contains("app\\u001b]0;owned\\u0007:1")
                .doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void theFirstArgumentIsADomainOnlyWhenItLooksLikeOne() {
        assertThat(RegistryWarmCommand.looksLikeDomain("lok8s.dev")).isTrue();
        assertThat(RegistryWarmCommand.looksLikeDomain("nginx")).isFalse();
        assertThat(RegistryWarmCommand.looksLikeDomain("nginx:1.27")).isFalse();
        assertThat(RegistryWarmCommand.looksLikeDomain("quay.io/org/app")).isFalse();
        assertThat(RegistryWarmCommand.looksLikeDomain("registry.k8s.io/pause:3.10")).isFalse();
    }
}
