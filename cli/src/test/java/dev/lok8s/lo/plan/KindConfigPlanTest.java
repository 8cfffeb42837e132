package dev.lok8s.lo.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lok8s.lo.spec.SpecBuilder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KindConfigPlanTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void defaultClusterConfigExactly() {
        RegistryPlan plan = SpecBuilder.defaultCluster().plan();
        assertThat(plan.kindConfig()).as("kind config, one control plane, kind's default image").isEqualTo("""
                kind: Cluster
                apiVersion: kind.x-k8s.io/v1alpha4
                name: lok8s
                containerdConfigPatches:
                  - |-
                    [plugins."io.containerd.grpc.v1.cri".registry]
                      config_path = "/etc/containerd/certs.d"
                nodes:
                  - role: control-plane
                    extraMounts:
                      - hostPath: /home/dev/lok8s/clusters/lok8s.dev/.containerd/certs.d
                        containerPath: /etc/containerd/certs.d
                        readOnly: true
                """);
    }

    @Test
    void oneNodeEntryPerControlPlaneAndWorkerWithImage() throws Exception {
        RegistryPlan plan = SpecBuilder.defaultCluster().nodes(3, 2).kubernetesVersion("1.31.0").plan();
        JsonNode config = YAML.readTree(plan.kindConfig());
        assertThat(config.path("kind").asText()).as("kind").isEqualTo("Cluster");
        assertThat(config.path("apiVersion").asText()).as("apiVersion").isEqualTo("kind.x-k8s.io/v1alpha4");
        assertThat(config.has("networking")).as("networking untouched").isFalse();
        assertThat(config.path("containerdConfigPatches").get(0).asText()).as("containerd patch")
                .isEqualTo("[plugins.\"io.containerd.grpc.v1.cri\".registry]\n"
                        + "  config_path = \"/etc/containerd/certs.d\"");
        JsonNode nodes = config.path("nodes");
        assertThat(nodes).as("node count").hasSize(5);
        assertThat(nodes.findValuesAsText("role")).as("roles")
                .containsExactly("control-plane", "control-plane", "control-plane", "worker", "worker");
        assertThat(nodes.findValuesAsText("image")).as("node image on every node")
                .containsOnly("kindest/node:v1.31.0").hasSize(5);
        for (JsonNode node : nodes) {
            JsonNode mount = node.path("extraMounts").get(0);
            assertThat(mount.path("hostPath").asText()).as("mount source").isEqualTo(plan.certsDir());
            assertThat(mount.path("containerPath").asText()).as("mount target").isEqualTo("/etc/containerd/certs.d");
            assertThat(mount.path("readOnly").asBoolean()).as("read-only").isTrue();
        }
    }

    @Test
    void acceptsALeadingVAndQuotesAwkwardPaths() throws Exception {
        RegistryPlan plan = Planner.plan(SpecBuilder.defaultCluster().kubernetesVersion("v1.30.2").spec(),
                PlanSettings.of(Path.of("/home/dev/my projects: #1/clusters/lok8s.dev")));
        JsonNode node = YAML.readTree(plan.kindConfig()).path("nodes").get(0);
        assertThat(node.path("image").asText()).as("no double v").isEqualTo("kindest/node:v1.30.2");
        assertThat(node.path("extraMounts").get(0).path("hostPath").asText()).as("path survives YAML")
                .isEqualTo("/home/dev/my projects: #1/clusters/lok8s.dev/.containerd/certs.d");
    }
}
