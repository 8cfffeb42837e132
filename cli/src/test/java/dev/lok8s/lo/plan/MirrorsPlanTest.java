package dev.lok8s.lo.plan;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

class MirrorsPlanTest {

    @Test
    void customMirrorsTakeTheirHostnameFromTheUrl() {
        RegistryPlan plan = SpecFixture.defaultCluster()
                .mirrors("io-docker", "https://registry-1.docker.io",
                        "gitlab", "https://registry.gitlab.com",
                        "corp", "https://registry.corp.example:5000")
                .plan();
        assertThat(plan.mirrors()).as("mirrors in list order from .2")
                .extracting(PlannedRegistry::name, PlannedRegistry::ip, PlannedRegistry::hostname,
                        PlannedRegistry::container, PlannedRegistry::upstream)
                .containsExactly(
                        tuple("io-docker", "10.125.200.2", "docker.io", "lok8s-registry-io-docker",
                                "https://registry-1.docker.io"),
                        tuple("gitlab", "10.125.200.3", "registry.gitlab.com", "lok8s-registry-gitlab",
                                "https://registry.gitlab.com"),
                        tuple("corp", "10.125.200.4", "registry.corp.example:5000", "lok8s-registry-corp",
                                "https://registry.corp.example:5000"));
        assertThat(plan.certsFiles()).as("certs.d dirs by url host")
                .containsKeys("registry.gitlab.com/hosts.toml", "registry.corp.example:5000/hosts.toml");
    }

    @Test
    void noMirrorsLeavesBuildAndCache() {
        RegistryPlan plan = SpecFixture.defaultCluster().mirrors().plan();
        assertThat(plan.registries()).as("registries").extracting(PlannedRegistry::name)
                .containsExactly("build", "cache");
        assertThat(plan.certsFiles()).as("certs files").hasSize(4);
    }

    @Test
    void customSharedNetworkNumbersFromItsSubnet() {
        RegistryPlan plan = SpecFixture.defaultCluster().sharedNetwork("mirrors", "10.0.0.0/24").plan();
        assertThat(plan.sharedNetwork().name()).as("shared network name").isEqualTo("mirrors");
        assertThat(plan.registry("io-ghcr").ip()).as("fourth mirror").isEqualTo("10.0.0.5");
        assertThat(plan.registry("io-ghcr").network()).as("mirror network").isEqualTo("mirrors");
    }

    @Test
    void refusesReservedAndDuplicateNames() {
        assertThatIllegalArgumentException().as("mirror named build")
                .isThrownBy(() -> SpecFixture.defaultCluster().mirrors("build", "https://x.io").plan())
                .withMessageContaining("reserved");
        assertThatIllegalArgumentException().as("mirror listed twice")
                .isThrownBy(() -> SpecFixture.defaultCluster()
                        .mirrors("a", "https://x.io", "a", "https://y.io").plan())
                .withMessageContaining("twice");
        assertThatIllegalArgumentException().as("two mirrors for one host")
                .isThrownBy(() -> SpecFixture.defaultCluster()
                        .mirrors("a", "https://x.io", "b", "https://x.io/v2").plan())
                .withMessageContaining("x.io");
    }

    @Test
    void refusesASubnetTooSmallForItsRegistries() {
        assertThatIllegalArgumentException().as("/26 has no .101")
                .isThrownBy(() -> SpecFixture.defaultCluster().network("tiny", "10.125.125.0/26").plan())
                .withMessageContaining("no room for build");
        assertThatIllegalArgumentException().as("shared overlapping project")
                .isThrownBy(() -> SpecFixture.defaultCluster().sharedNetwork("r", "10.125.0.0/16").plan())
                .withMessageContaining("overlaps");
    }
}
