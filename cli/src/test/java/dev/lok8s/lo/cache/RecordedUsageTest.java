package dev.lok8s.lo.cache;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.Role;
import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.projection.RegistryLog.RecordedNetwork;
import dev.lok8s.lo.projection.RegistryLog.RecordedProject;
import dev.lok8s.lo.projection.RegistryLog.RecordedRegistry;
import dev.lok8s.lo.status.RecordedRegistryStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Given what the log records and the containers Docker has, then what each project's usage report measures. */
class RecordedUsageTest {

    static final RecordedRegistryStatus.Recorded RECORDED = new RecordedRegistryStatus.Recorded(
            List.of(new RecordedProject("b", "b.test", 11, "10.9.11.0/24", "b"),
                    new RecordedProject("a", "a.test", 10, "10.9.10.0/24", "a")),
            List.of(new RecordedRegistry("a-registry-cache", Role.CACHE, Scope.PROJECT, "a", "a.test", "a",
                            "10.9.10.102", "running", null, "h2", 5002),
                    new RecordedRegistry("a-registry-build", Role.BUILD, Scope.PROJECT, "a", "a.test", "a",
                            "10.9.10.101", "running", null, "h1", 5001),
                    new RecordedRegistry("lok8s-registry-io-docker", Role.MIRROR, Scope.SHARED, "a", "a.test",
                            "lok8s-registries", "10.9.0.2", "running", "https://registry-1.docker.io", "h3", null),
                    new RecordedRegistry("b-registry-build", Role.BUILD, Scope.PROJECT, "b", "b.test", "b",
                            "10.9.11.101", "stopped", null, "h4", null)),
            Map.of("lok8s-registries", new RecordedNetwork("lok8s-registries", "10.9.0.0/24", Scope.SHARED),
                    "a", new RecordedNetwork("a", "10.9.10.0/24", Scope.PROJECT),
                    "b", new RecordedNetwork("b", "10.9.11.0/24", Scope.PROJECT)),
            Map.of("a", Set.of("a", "lok8s-registries"), "b", Set.of("b", "lok8s-registries")),
            Map.of("lok8s-registries", Set.of("a", "b")));

    @Test
    void eachProjectMeasuresItsOwnRegistriesThenTheSharedMirrorsItsNodesUse() {
        List<UsageService.Subject> subjects = RecordedUsage.subjects(RECORDED, Map.of(), null);

        assertThat(subjects).extracting(UsageService.Subject::project).as("by domain").containsExactly("a", "b");
        UsageService.Subject a = subjects.getFirst();
        assertThat(a.domain()).isEqualTo("a.test");
        assertThat(a.registries()).extracting(m -> m.registry().container()).as("build, cache, then shared")
                .containsExactly("a-registry-build", "a-registry-cache", "lok8s-registry-io-docker");
        assertThat(a.registries()).extracting(UsageService.Measured::shared).containsExactly(false, false, true);
        assertThat(a.registries().getFirst().users()).containsExactly("a");
        assertThat(a.registries().getLast().users()).containsExactlyInAnyOrder("a", "b");
        PlannedRegistry mirror = a.registries().getLast().registry();
        assertThat(mirror.name()).isEqualTo("io-docker");
        assertThat(mirror.isMirror()).isTrue();
        assertThat(mirror.volume()).as("as lo names volumes").isEqualTo("lok8s-registry-io-docker-data");
        assertThat(mirror.url()).as("nothing observed: the recorded address, plain HTTP")
                .isEqualTo("http://10.9.0.2/v2/_catalog");
        assertThat(subjects.getLast().registries()).extracting(m -> m.registry().container())
                .containsExactly("b-registry-build", "lok8s-registry-io-docker");
    }

    @Test
    void aRegistryIsReachedWhereDockerHasItOverTlsWhenItCarriesACertificate() {
        ContainerInfo build = new ContainerInfo("id", "a-registry-build", "registry:2", "running",
                Map.of(Labels.CERT_SHA256, "abc"), Map.of("a", "10.9.10.111"));

        List<UsageService.Subject> subjects = RecordedUsage.subjects(RECORDED, Map.of("a-registry-build", build),
                "CA");

        PlannedRegistry registry = subjects.getFirst().registries().getFirst().registry();
        assertThat(registry.url()).isEqualTo("https://10.9.10.111/v2/_catalog");
        assertThat(registry.ip()).isEqualTo("10.9.10.111");
        assertThat(subjects.getFirst().caPem()).isEqualTo("CA");
    }
}
