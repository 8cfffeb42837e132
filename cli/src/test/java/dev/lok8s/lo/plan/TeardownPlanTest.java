package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The steps of registry down / clean / destroy, and the registries-only plan of registry up. */
class TeardownPlanTest {

    private final RegistryPlan shared = SpecBuilder.defaultCluster().plan();
    private final RegistryPlan nonShared = SpecBuilder.slot(50).shared(false).plan();

    @Test
    void downStopsBuildAndCacheButNotSharedMirrors() {
        TeardownPlan down = TeardownPlan.down(shared);
        assertThat(down.command()).as("command").isEqualTo("registry down");
        assertThat(down.stepIds()).as("steps").containsExactly("stop:lok8s-registry-build", "stop:lok8s-registry-cache");
    }

    @Test
    void downStopsTheProjectsOwnMirrorsWithoutASharedNetwork() {
        assertThat(TeardownPlan.down(nonShared).stepIds()).as("steps").containsExactly(
                "stop:lok8s-50-registry-build", "stop:lok8s-50-registry-cache", "stop:lok8s-50-registry-io-docker",
                "stop:lok8s-50-registry-io-quay", "stop:lok8s-50-registry-io-k8s", "stop:lok8s-50-registry-io-ghcr");
    }

    @Test
    void cleanRemovesBuildAndCacheAndTheirVolumesOnly() {
        TeardownPlan clean = TeardownPlan.clean(shared, false, TeardownPlan.Found.NONE);
        assertThat(clean.command()).as("command").isEqualTo("registry clean");
        assertThat(clean.stepIds()).as("steps").containsExactly(
                "remove-registry:lok8s-registry-build", "remove-registry:lok8s-registry-cache",
                "remove-volume:lok8s-registry-build-data", "remove-volume:lok8s-registry-cache-data");
        assertThat(step(clean, "remove-volume:lok8s-registry-build-data").dependsOn()).as("volume after containers")
                .containsExactly("remove-registry:lok8s-registry-build", "remove-registry:lok8s-registry-cache");
        assertDependenciesComeFirst(clean);
    }

    @Test
    void cleanSharedDisconnectsFirstThenRemovesMirrorsTheirVolumesAndTheNetwork() {
        TeardownPlan clean = TeardownPlan.clean(shared, true, TeardownPlan.Found.NONE);
        assertThat(clean.command()).as("command").isEqualTo("registry clean --shared");
        assertThat(clean.stepIds().getFirst()).as("first step").isEqualTo("disconnect:lok8s-registries");
        assertThat(clean.stepIds()).as("steps").contains("remove-registry:lok8s-registry-io-docker",
                "remove-volume:lok8s-registry-io-ghcr-data", "remove-registry:lok8s-registry-build");
        assertThat(clean.stepIds().getLast()).as("last step").isEqualTo("remove-network:lok8s-registries");
        clean.steps().stream().filter(s -> s.kind() == StepKind.REMOVE_REGISTRY).forEach(s ->
                assertThat(s.dependsOn()).as("%s waits for the disconnect (a refusal changes nothing)", s.id())
                        .contains("disconnect:lok8s-registries"));
        assertThat(step(clean, "remove-network:lok8s-registries").dependsOn()).as("network after its mirrors")
                .contains("remove-registry:lok8s-registry-io-docker", "remove-registry:lok8s-registry-io-ghcr");
        assertDependenciesComeFirst(clean);
    }

    @Test
    void cleanSharedWithoutASharedNetworkRemovesTheProjectsMirrors() {
        TeardownPlan clean = TeardownPlan.clean(nonShared, true, TeardownPlan.Found.NONE);
        assertThat(clean.stepIds()).as("steps").contains("remove-registry:lok8s-50-registry-io-docker",
                "remove-volume:lok8s-50-registry-io-docker-data").noneMatch(id -> id.startsWith("disconnect:")
                || id.startsWith("remove-network:"));
    }

    @Test
    void destroyDeletesTheClusterAndProjectRegistriesThenTheNetworkAndKeepsSharedMirrors() {
        TeardownPlan destroy = TeardownPlan.destroy(shared, TeardownPlan.Found.NONE);
        assertThat(destroy.command()).as("command").isEqualTo("destroy");
        assertThat(destroy.stepIds()).as("steps").containsExactly("delete-cluster:lok8s",
                "remove-registry:lok8s-registry-build", "remove-registry:lok8s-registry-cache",
                "remove-volume:lok8s-registry-build-data", "remove-volume:lok8s-registry-cache-data",
                "remove-network:lok8s");
        assertThat(step(destroy, "remove-network:lok8s").dependsOn()).as("network last")
                .containsExactly("delete-cluster:lok8s", "remove-registry:lok8s-registry-build",
                        "remove-registry:lok8s-registry-cache");
        assertDependenciesComeFirst(destroy);
    }

    @Test
    void destroyWithoutASharedNetworkRemovesTheMirrorsToo() {
        assertThat(TeardownPlan.destroy(nonShared, TeardownPlan.Found.NONE).stepIds()).as("steps")
                .contains("remove-registry:lok8s-50-registry-io-ghcr", "remove-volume:lok8s-50-registry-io-ghcr-data");
    }

    @Test
    void includesLabelledLeftoversFoundOnTheMachine() {
        TeardownPlan.Found found = new TeardownPlan.Found(
                List.of(new TeardownPlan.Resource("old-registry-build", Role.BUILD, Scope.PROJECT),
                        new TeardownPlan.Resource("lok8s-registry-build", Role.BUILD, Scope.PROJECT),
                        new TeardownPlan.Resource("lok8s-registry-io-old", Role.MIRROR, Scope.SHARED)),
                List.of(new TeardownPlan.Resource("old-registry-build-data", Role.BUILD, Scope.PROJECT)));
        TeardownPlan clean = TeardownPlan.clean(shared, false, found);
        assertThat(clean.stepIds()).as("steps").containsExactly(
                "remove-registry:lok8s-registry-build", "remove-registry:lok8s-registry-cache",
                "remove-registry:old-registry-build", "remove-volume:lok8s-registry-build-data",
                "remove-volume:lok8s-registry-cache-data", "remove-volume:old-registry-build-data");
        assertThat(TeardownPlan.clean(shared, true, found).stepIds()).as("with --shared")
                .contains("remove-registry:lok8s-registry-io-old");
    }

    @Test
    void registriesOnlyDropsTheClusterAndItsConnectionsAndHashesAnew() {
        RegistryPlan up = RegistriesOnly.of(shared);
        assertThat(up.stepIds()).as("steps").noneMatch(id -> id.startsWith("cluster:") || id.startsWith("connect:")
                        || id.startsWith("registry-discovery:"))
                .contains("check-subnets", "network:lok8s", "network:lok8s-registries", "registry:lok8s-registry-build",
                        "certs-dir", "verify");
        assertThat(up.steps()).as("steps: without cluster, connect and registry-discovery")
                .hasSize(shared.steps().size() - 3);
        assertThat(up.hash()).as("hash").isNotEqualTo(shared.hash()).isEqualTo(RegistriesOnly.of(shared).hash());
        Set<String> ids = new HashSet<>(up.stepIds());
        up.steps().forEach(s -> assertThat(ids).as("dependencies of %s exist", s.id()).containsAll(s.dependsOn()));
    }

    private static PlannedStep step(TeardownPlan plan, String id) {
        return plan.steps().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private static void assertDependenciesComeFirst(TeardownPlan plan) {
        Set<String> seen = new HashSet<>();
        for (PlannedStep step : plan.steps()) {
            assertThat(seen).as("dependencies of %s listed before it", step.id()).containsAll(step.dependsOn());
            seen.add(step.id());
        }
    }
}
