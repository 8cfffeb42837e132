package dev.lok8s.lo.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheLimitsTest {

    @Test
    void sizesInDecimalAndBinaryUnits() {
        assertThat(CacheLimits.parseSize("10GB")).isEqualTo(10_000_000_000L);
        assertThat(CacheLimits.parseSize("500 MB")).isEqualTo(500_000_000L);
        assertThat(CacheLimits.parseSize("2GiB")).isEqualTo(2L << 30);
        assertThat(CacheLimits.parseSize("1.5kb")).isEqualTo(1500L);
        assertThat(CacheLimits.parseSize("0")).isZero();
        assertThatThrownBy(() -> CacheLimits.parseSize("lots")).hasMessageContaining("'lots' is not a size");
        assertThatThrownBy(() -> CacheLimits.parseSize("3PB")).hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> CacheLimits.parseSize("9".repeat(30))).hasMessageContaining("not a size");
        assertThatThrownBy(() -> CacheLimits.parseSize("5000000TiB")).hasMessageContaining("larger than");
    }

    @Test
    void durations() {
        assertThat(CacheLimits.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(CacheLimits.parseDuration("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(CacheLimits.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
        assertThatThrownBy(() -> CacheLimits.parseDuration("30")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> CacheLimits.parseDuration("30y")).hasMessageContaining("unknown unit");
        assertThatThrownBy(() -> CacheLimits.parseDuration("9999999d")).hasMessageContaining("out of range");
    }

    @Test
    void theSpecCarriesItsLimitsAndNamesABadOne(@TempDir Path dir) {
        SpecBuilder.SpecFiles files = SpecBuilder.in(dir);
        ClusterSpec spec = files.parse(files.withSpec("""
                registries:
                  prune:
                    keepStorage: "10GB"
                    unusedFor: "30d"
                """));
        assertThat(spec.registries().prune()).isEqualTo(new CacheLimits(10_000_000_000L, Duration.ofDays(30)));
        assertThat(SpecBuilder.defaultCluster().spec().registries().prune()).isEqualTo(CacheLimits.NONE);

        List<SpecError> errors = files.errorsOf("""
                registries:
                  prune:
                    keepStorage: "many"
                    unusedFor: "30y"
                """);
        assertThat(SpecBuilder.errorAt(errors, "spec.registries.prune.keepStorage").toString()).contains("'many'");
        assertThat(SpecBuilder.errorAt(errors, "spec.registries.prune.unusedFor").toString()).contains("unknown unit");
    }
}
