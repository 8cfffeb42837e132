package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.Cidr;
import dev.lok8s.lo.spec.ClusterSpec;
import dev.lok8s.lo.spec.MirrorSpec;
import dev.lok8s.lo.spec.NetworkSpec;
import dev.lok8s.lo.spec.RegistriesSpec;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

class MirrorsPlanTest {

    @Test
    void customMirrorsTakeTheirHostnameFromTheUrl() {
        RegistryPlan plan = SpecBuilder.defaultCluster()
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
        RegistryPlan plan = SpecBuilder.defaultCluster().mirrors().plan();
        assertThat(plan.registries()).as("registries").extracting(PlannedRegistry::name)
                .containsExactly("build", "cache");
        assertThat(plan.certsFiles()).as("certs files").hasSize(4);
    }

    @Test
    void customSharedNetworkNumbersFromItsSubnet() {
        RegistryPlan plan = SpecBuilder.defaultCluster().sharedNetwork("mirrors", "10.0.0.0/24").plan();
        assertThat(plan.sharedNetwork().name()).as("shared network name").isEqualTo("mirrors");
        assertThat(plan.registry("io-ghcr").ip()).as("fourth mirror").isEqualTo("10.0.0.5");
        assertThat(plan.registry("io-ghcr").network()).as("mirror network").isEqualTo("mirrors");
    }

    @Test
    void refusesReservedAndDuplicateNames() {
        assertThatIllegalArgumentException().as("mirror named build")
                .isThrownBy(() -> planOf(withMirrors("build", "https://x.io")))
                .withMessageContaining("reserved");
        assertThatIllegalArgumentException().as("mirror listed twice")
                .isThrownBy(() -> planOf(withMirrors("a", "https://x.io", "a", "https://y.io")))
                .withMessageContaining("twice");
        assertThatIllegalArgumentException().as("two mirrors for one host")
                .isThrownBy(() -> planOf(withMirrors("a", "https://x.io", "b", "https://x.io/v2")))
                .withMessageContaining("x.io");
    }

    @Test
    void refusesASubnetTooSmallForItsRegistries() {
        assertThatIllegalArgumentException().as("/26 has no .101")
                .isThrownBy(() -> planOf(withNetwork(new NetworkSpec("tiny", Cidr.parse("10.125.125.0/26")))))
                .withMessageContaining("no room for build");
        assertThatIllegalArgumentException().as("shared overlapping project")
                .isThrownBy(() -> planOf(withSharedNetwork(new NetworkSpec("r", Cidr.parse("10.125.0.0/16")))))
                .withMessageContaining("overlaps");
    }

    // The parser refuses these specs; the planner's own guards are tested on a parsed spec with one part replaced.

    private static RegistryPlan planOf(ClusterSpec spec) {
        return Planner.plan(spec, PlanSettings.of(SpecBuilder.PROJECT_DIR));
    }

    private static ClusterSpec withMirrors(String... nameUrlPairs) {
        ClusterSpec spec = SpecBuilder.defaultCluster().spec();
        List<MirrorSpec> mirrors = new ArrayList<>();
        for (int i = 0; i < nameUrlPairs.length; i += 2) {
            mirrors.add(new MirrorSpec(nameUrlPairs[i], URI.create(nameUrlPairs[i + 1])));
        }
        RegistriesSpec r = spec.registries();
        return withRegistries(spec, new RegistriesSpec(r.shared(), r.sharedNetwork(), mirrors, r.tls(), r.image()));
    }

    private static ClusterSpec withSharedNetwork(NetworkSpec network) {
        ClusterSpec spec = SpecBuilder.defaultCluster().spec();
        RegistriesSpec r = spec.registries();
        return withRegistries(spec, new RegistriesSpec(r.shared(), network, r.mirrors(), r.tls(), r.image()));
    }

    private static ClusterSpec withRegistries(ClusterSpec s, RegistriesSpec registries) {
        return new ClusterSpec(s.file(), s.name(), s.domain(), s.slot(), s.network(), registries, s.runtime(),
                s.kubernetesVersion(), s.nodes());
    }

    private static ClusterSpec withNetwork(NetworkSpec network) {
        ClusterSpec s = SpecBuilder.defaultCluster().spec();
        return new ClusterSpec(s.file(), s.name(), s.domain(), s.slot(), network, s.registries(), s.runtime(),
                s.kubernetesVersion(), s.nodes());
    }
}
