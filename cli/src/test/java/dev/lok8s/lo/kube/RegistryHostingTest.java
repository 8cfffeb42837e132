package dev.lok8s.lo.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.plan.RegistryPlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryHostingTest {

    @TempDir
    Path dir;

    static RegistryHosting.DesiredConfigMap byName(List<RegistryHosting.DesiredConfigMap> maps, String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theKep1755ConfigMapPointsTheHostAtTheBuildRegistrysLoopbackPortAndNodesAtLok8sLocal() {
        var maps = RegistryHosting.desired(KubeFixture.plan(dir, true, false));
        var hosting = byName(maps, "local-registry-hosting");
        assertThat(hosting.namespace()).isEqualTo("kube-public");
        assertThat(hosting.data()).containsOnlyKeys("localRegistryHosting.v1");
        assertThat(hosting.data().get("localRegistryHosting.v1")).as("slot 88: build on 20000 + 880 + 1").isEqualTo("""
                host: "localhost:20881"
                hostFromClusterNetwork: "lok8s.local"
                hostFromContainerRuntime: "lok8s.local"
                help: "%s"
                """.formatted(RegistryHosting.HELP_URL));
        assertThat(hosting.labels()).containsEntry("app.kubernetes.io/managed-by", "lo")
                .containsEntry("dev.lok8s.managed-by", "lo").containsEntry("dev.lok8s.project", "kd");
    }

    @Test
    void withHostPortsOffTheHostIsTheBuildRegistrysAddressAsBefore() {
        RegistryPlan off = KubeFixture.plan(dir, dev.lok8s.lo.plan.HostPortRule.OFF);
        assertThat(byName(RegistryHosting.desired(off), "local-registry-hosting").data().get("localRegistryHosting.v1"))
                .startsWith("host: \"10.213.88.101\"\n");
        assertThat(byName(RegistryHosting.desired(off), "lok8s-registries").data().get("registries.json"))
                .as("no push addresses").doesNotContain("pushAddress");
    }

    @Test
    void lok8sRegistriesListsEveryRegistryWithItsAddressAndWhetherItIsShared() throws Exception {
        var registries = byName(RegistryHosting.desired(KubeFixture.plan(dir, true, false)), "lok8s-registries");
        assertThat(registries.namespace()).isEqualTo("kube-system");
        JsonNode list = new ObjectMapper().readTree(registries.data().get("registries.json"));
        assertThat(list.findValuesAsText("name")).containsExactly("build", "cache", "io-docker");
        assertThat(list.findValuesAsText("ip")).containsExactly("10.213.88.101", "10.213.88.102", "10.213.89.2");
        assertThat(list.findValuesAsText("url")).containsExactly("http://10.213.88.101/v2/_catalog",
                "http://10.213.88.102/v2/_catalog", "http://10.213.89.2/v2/_catalog");
        assertThat(list.get(2).path("shared").asBoolean()).as("the mirror is on the shared network").isTrue();
        assertThat(list.get(0).path("shared").asBoolean()).as("build is the project's").isFalse();
        assertThat(list.get(2).path("hostname").asText()).isEqualTo("docker.io");
        assertThat(list.findValuesAsText("pushAddress")).as("build and cache only")
                .containsExactly("localhost:20881", "localhost:20882");

        JsonNode own = new ObjectMapper().readTree(byName(RegistryHosting.desired(KubeFixture.plan(dir, false, false)),
                "lok8s-registries").data().get("registries.json"));
        assertThat(own.get(2).path("shared").asBoolean()).as("shared mirrors off").isFalse();
        assertThat(own.get(2).path("ip").asText()).isEqualTo("10.213.88.103");
    }

    @Test
    void theDataFollowsThePlanAndOnlyThePlan() {
        RegistryPlan plan = KubeFixture.plan(dir, true, false);
        assertThat(RegistryHosting.desired(plan)).as("same plan, same ConfigMaps").isEqualTo(RegistryHosting.desired(
                KubeFixture.plan(dir, true, false)));
        assertThat(byName(RegistryHosting.desired(KubeFixture.plan(dir, true, false, "io-quay")), "lok8s-registries"))
                .as("a mirror added").isNotEqualTo(byName(RegistryHosting.desired(plan), "lok8s-registries"));
        var tls = byName(RegistryHosting.desired(KubeFixture.plan(dir, true, true)), "lok8s-registries");
        assertThat(tls.data().get("registries.json")).as("TLS switched").contains("https://10.213.88.101/v2/_catalog")
                .doesNotContain("http://");
    }
}
