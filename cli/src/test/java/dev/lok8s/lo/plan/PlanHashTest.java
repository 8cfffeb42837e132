package dev.lok8s.lo.plan;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PlanHashTest {

    private final String base = SpecFixture.defaultCluster().plan().hash();

    @Test
    void isStableAcrossRuns() {
        assertThat(base).as("sha-256 hex").matches("[0-9a-f]{64}");
        assertThat(SpecFixture.defaultCluster().plan().hash()).as("same spec, same hash").isEqualTo(base);
        assertThat(SpecFixture.defaultCluster().plan()).as("plans are values").isEqualTo(SpecFixture.defaultCluster().plan());
    }

    @Test
    void changesWhenAnyPlannedEffectChanges() {
        assertThat(SpecFixture.defaultCluster().tls(true).plan().hash()).as("tls").isNotEqualTo(base);
        assertThat(SpecFixture.defaultCluster().shared(false).plan().hash()).as("shared").isNotEqualTo(base);
        assertThat(SpecFixture.defaultCluster().network("lok8s", "10.125.126.0/24").plan().hash()).as("subnet")
                .isNotEqualTo(base);
        assertThat(SpecFixture.defaultCluster().mirrors("io-docker", "https://registry-1.docker.io").plan().hash())
                .as("mirror list").isNotEqualTo(base);
        assertThat(SpecFixture.defaultCluster().mirrors("io-docker", "https://mirror.gcr.io", "io-quay",
                "https://quay.io", "io-k8s", "https://registry.k8s.io", "io-ghcr", "https://ghcr.io").plan().hash())
                .as("an upstream url").isNotEqualTo(base);
        assertThat(SpecFixture.defaultCluster().image("registry:2.8.2").plan().hash()).as("image")
                .isNotEqualTo(base);
        assertThat(SpecFixture.defaultCluster().nodes(1, 1).plan().hash()).as("node count").isNotEqualTo(base);
        assertThat(SpecFixture.defaultCluster().kubernetesVersion("1.31.0").plan().hash()).as("k8s version")
                .isNotEqualTo(base);
        assertThat(Planner.plan(SpecFixture.defaultCluster().build(),
                PlanSettings.of(Path.of("/elsewhere/clusters/lok8s.dev"))).hash()).as("project dir")
                .isNotEqualTo(base);
        assertThat(Planner.plan(SpecFixture.defaultCluster().build(),
                new PlanSettings("", Map.of("dev.lok8s.test", "x"), SpecFixture.PROJECT_DIR)).hash())
                .as("labels").isNotEqualTo(base);
    }
}
