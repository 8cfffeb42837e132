package dev.lok8s.lo.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerInfo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ContainerMappingTest {

    private static ContainerDefinition mirror(List<String> command) {
        return new ContainerDefinition("lok8s-registry-io-docker", "lok8s.local/registry:2.8.2", "lok8s-registries",
                "10.125.200.2", Map.of("dev.lok8s.managed", "true"), Map.of("lok8s-registry-io-docker-data", "/var/lib/registry"),
                Map.of("/etc/docker/registry/config.yml", new byte[]{1}), command);
    }

    @Test
    void definition_sets_name_image_labels_network_ip_volumes_and_restart_policy() {
        var cmd = ContainerMapping.applyTo(mirror(List.of("serve", "/etc/docker/registry/config.yml")),
                new CreateContainerCmdImpl(unused -> { throw new UnsupportedOperationException(); }, null, "lok8s.local/registry:2.8.2"));

        assertThat(cmd.getName()).isEqualTo("lok8s-registry-io-docker");
        assertThat(cmd.getImage()).isEqualTo("lok8s.local/registry:2.8.2");
        assertThat(cmd.getLabels()).containsExactly(Map.entry("dev.lok8s.managed", "true"));
        assertThat(cmd.getIpv4Address()).isEqualTo("10.125.200.2");
        assertThat(cmd.getCmd()).containsExactly("serve", "/etc/docker/registry/config.yml");
        assertThat(cmd.getHostConfig().getNetworkMode()).isEqualTo("lok8s-registries");
        assertThat(cmd.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
        assertThat(cmd.getHostConfig().getBinds()).singleElement().satisfies(b -> {
            assertThat(b.getPath()).as("named volume").isEqualTo("lok8s-registry-io-docker-data");
            assertThat(b.getVolume().getPath()).isEqualTo("/var/lib/registry");
        });
    }

    @Test
    void empty_command_keeps_the_image_default() {
        var cmd = ContainerMapping.applyTo(mirror(List.of()), new CreateContainerCmdImpl(unused -> { throw new UnsupportedOperationException(); }, null, "x"));
        assertThat(cmd.getCmd()).isNull();
    }

    @Test
    void inspected_container_becomes_container_info() {
        ContainerInfo info = ContainerMapping.toInfo(Json.read("""
                {"Id":"abc123","Name":"/lok8s-registry-io-docker","Image":"sha256:ffff",
                 "State":{"Status":"running","Running":true},
                 "Config":{"Image":"lok8s.local/registry:2.8.2","Labels":{"dev.lok8s.managed":"true"}},
                 "NetworkSettings":{"Networks":{
                    "lok8s-registries":{"IPAddress":"10.125.200.2","IPPrefixLen":24},
                    "lok8s":{"IPAddress":"10.125.125.5","IPPrefixLen":24}}}}
                """, InspectContainerResponse.class));

        assertThat(info.id()).isEqualTo("abc123");
        assertThat(info.name()).as("leading slash dropped").isEqualTo("lok8s-registry-io-docker");
        assertThat(info.image()).as("the reference it was created from").isEqualTo("lok8s.local/registry:2.8.2");
        assertThat(info.running()).isTrue();
        assertThat(info.labels()).containsExactly(Map.entry("dev.lok8s.managed", "true"));
        assertThat(info.networks()).containsOnly(Map.entry("lok8s-registries", "10.125.200.2"), Map.entry("lok8s", "10.125.125.5"));
    }

    @Test
    void listed_container_becomes_container_info() {
        ContainerInfo info = ContainerMapping.toInfo(Json.read("""
                {"Id":"def456","Names":["/lok8s-registry-build"],"Image":"lok8s.local/registry:2.8.2",
                 "State":"exited","Labels":{"a":"b"},
                 "NetworkSettings":{"Networks":{"lok8s":{"IPAddress":""}}}}
                """, Container.class));

        assertThat(info.name()).isEqualTo("lok8s-registry-build");
        assertThat(info.state()).isEqualTo("exited");
        assertThat(info.running()).isFalse();
        assertThat(info.networks()).containsExactly(Map.entry("lok8s", ""));
    }

    @Test
    void label_filter_uses_key_alone_for_a_null_value() {
        var labels = new java.util.HashMap<String, String>();
        labels.put("dev.lok8s.role", "mirror");
        labels.put("dev.lok8s.project", null);
        assertThat(ContainerMapping.labelFilter(labels)).containsExactly("dev.lok8s.project", "dev.lok8s.role=mirror");
    }
}
