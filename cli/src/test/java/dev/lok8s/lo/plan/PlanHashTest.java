package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlanHashTest {

    private final String base = SpecBuilder.defaultCluster().plan().hash();

    @Test
    void isStableAcrossRuns() {
        assertThat(base).as("sha-256 hex").matches("[0-9a-f]{64}");
        assertThat(SpecBuilder.defaultCluster().plan().hash()).as("same spec, same hash").isEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().plan()).as("plans are values").isEqualTo(SpecBuilder.defaultCluster().plan());
    }

    @Test
    void changesWhenAnyPlannedEffectChanges() {
        assertThat(SpecBuilder.defaultCluster().tls(true).plan().hash()).as("tls").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().shared(false).plan().hash()).as("shared").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().network("lok8s", "10.125.126.0/24").plan().hash()).as("subnet")
                .isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().mirrors("io-docker", "https://registry-1.docker.io").plan().hash())
                .as("mirror list").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().mirrors("io-docker", "https://mirror.gcr.io", "io-quay",
                "https://quay.io", "io-k8s", "https://registry.k8s.io", "io-ghcr", "https://ghcr.io").plan().hash())
                .as("an upstream url").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().image("registry:2.8.2").plan().hash()).as("image")
                .isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().nodes(1, 1).plan().hash()).as("node count").isNotEqualTo(base);
        assertThat(SpecBuilder.defaultCluster().kubernetesVersion("1.31.0").plan().hash()).as("k8s version")
                .isNotEqualTo(base);
        assertThat(Planner.plan(SpecBuilder.defaultCluster().spec(),
                PlanSettings.of(Path.of("/elsewhere/clusters/lok8s.dev"))).hash()).as("project dir")
                .isNotEqualTo(base);
        assertThat(Planner.plan(SpecBuilder.defaultCluster().spec(),
                new PlanSettings("", Map.of("dev.lok8s.test", "x"), SpecBuilder.PROJECT_DIR)).hash())
                .as("labels").isNotEqualTo(base);
    }
}
