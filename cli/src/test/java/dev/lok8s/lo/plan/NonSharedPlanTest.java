package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** shared.enabled: false on slot 50: every registry on the project subnet, mirrors from .103. */
class NonSharedPlanTest {

    private final RegistryPlan plan = SpecBuilder.slot(50).shared(false).plan();

    @Test
    void hasNoSharedNetwork() {
        assertThat(plan.sharedNetwork()).as("shared network is ignored").isNull();
        assertThat(plan.shared()).as("shared()").isFalse();
        assertThat(plan.networks()).as("networks()").extracting(PlannedNetwork::name).containsExactly("lok8s-50");
        assertThat(plan.projectNetwork().cidr()).as("project cidr").isEqualTo("10.125.50.0/24");
    }

    @Test
    void putsMirrorsOnTheProjectSubnetFrom103() {
        assertThat(plan.registries()).as("registries on the project network")
                .extracting(PlannedRegistry::name, PlannedRegistry::container, PlannedRegistry::network,
                        PlannedRegistry::ip, PlannedRegistry::hostname)
                .containsExactly(
                        tuple("build", "lok8s-50-registry-build", "lok8s-50", "10.125.50.101", "lok8s.local"),
                        tuple("cache", "lok8s-50-registry-cache", "lok8s-50", "10.125.50.102", "lok8s.cache"),
                        tuple("io-docker", "lok8s-50-registry-io-docker", "lok8s-50", "10.125.50.103", "docker.io"),
                        tuple("io-quay", "lok8s-50-registry-io-quay", "lok8s-50", "10.125.50.104", "quay.io"),
                        tuple("io-k8s", "lok8s-50-registry-io-k8s", "lok8s-50", "10.125.50.105", "registry.k8s.io"),
                        tuple("io-ghcr", "lok8s-50-registry-io-ghcr", "lok8s-50", "10.125.50.106", "ghcr.io"));
        assertThat(plan.registry("io-docker").volume()).as("mirror volume")
                .isEqualTo("lok8s-50-registry-io-docker-data");
    }

    @Test
    void labelsMirrorsAsProjectScoped() {
        assertThat(plan.registry("io-docker").labels()).as("project mirror labels")
                .containsEntry(Labels.ROLE, "mirror")
                .containsEntry(Labels.SCOPE, "project")
                .containsEntry(Labels.PROJECT, "lok8s-50");
    }

    @Test
    void pointsHostsTomlAtProjectIps() {
        assertThat(plan.certsFiles().get("docker.io/hosts.toml")).as("docker.io hosts.toml, non-shared")
                .isEqualTo("""
                        server = "http://10.125.50.103"

                        [host."http://10.125.50.103"]
                          capabilities = ["pull", "resolve"]
                          skip_verify = true
                        """);
        assertThat(plan.certsFiles().get("lok8s.local/hosts.toml")).as("build hosts.toml, non-shared")
                .isEqualTo("""
                        server = "http://10.125.50.101"

                        [host."http://10.125.50.101"]
                          capabilities = ["pull", "resolve", "push"]
                          skip_verify = true
                        """);
        assertThat(plan.certsFiles()).as("IP dirs").containsKeys("10.125.50.103/hosts.toml",
                "10.125.50.106/hosts.toml");
    }

    @Test
    void sharedModeKeepsBuildAndCacheOnTheProjectSubnet() {
        RegistryPlan sharedSlot50 = SpecBuilder.slot(50).plan();
        assertThat(sharedSlot50.build().ip()).as("build in shared mode").isEqualTo("10.125.50.101");
        assertThat(sharedSlot50.cache().ip()).as("cache in shared mode").isEqualTo("10.125.50.102");
        assertThat(sharedSlot50.registry("io-docker").ip()).as("mirror in shared mode").isEqualTo("10.125.200.2");
        assertThat(sharedSlot50.registry("io-docker").container()).as("shared mirror name is project-free")
                .isEqualTo("lok8s-registry-io-docker");
    }
}
