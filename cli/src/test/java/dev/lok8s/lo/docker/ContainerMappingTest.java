package dev.lok8s.lo.docker;

import com.github.dockerjava.core.command.CreateContainerCmdImpl;
import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.PublishedPort;
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
        ContainerInfo info = ContainerMapping.inspected(Json.tree("""
                {"Id":"abc123","Name":"/lok8s-registry-io-docker","Image":"sha256:ffff",
                 "State":{"Status":"running","Running":true},
                 "Config":{"Image":"lok8s.local/registry:2.8.2","Labels":{"dev.lok8s.managed":"true"}},
                 "NetworkSettings":{"Networks":{
                    "lok8s-registries":{"IPAddress":"10.125.200.2","IPPrefixLen":24},
                    "lok8s":{"IPAddress":"10.125.125.5","IPPrefixLen":24}}}}
                """));

        assertThat(info.id()).isEqualTo("abc123");
        assertThat(info.name()).as("leading slash dropped").isEqualTo("lok8s-registry-io-docker");
        assertThat(info.image()).as("the reference it was created from").isEqualTo("lok8s.local/registry:2.8.2");
        assertThat(info.running()).isTrue();
        assertThat(info.labels()).containsExactly(Map.entry("dev.lok8s.managed", "true"));
        assertThat(info.networks()).containsOnly(Map.entry("lok8s-registries", "10.125.200.2"), Map.entry("lok8s", "10.125.125.5"));
    }

    @Test
    void listed_container_becomes_container_info() {
        ContainerInfo info = ContainerMapping.listed(Json.tree("""
                {"Id":"def456","Names":["/lok8s-registry-build"],"Image":"lok8s.local/registry:2.8.2",
                 "State":"exited","Labels":{"a":"b"},
                 "NetworkSettings":{"Networks":{"lok8s":{"IPAddress":""}}}}
                """));

        assertThat(info.name()).isEqualTo("lok8s-registry-build");
        assertThat(info.state()).isEqualTo("exited");
        assertThat(info.running()).isFalse();
        assertThat(info.networks()).containsExactly(Map.entry("lok8s", ""));
    }

    @Test
    void a_stopped_container_keeps_its_configured_address() {
        // trimmed `GET /containers/json?all=1` entry of Docker 20.10 for an exited container with a fixed IP
        ContainerInfo info = ContainerMapping.listed(Json.tree("""
                {"Id":"0a1b","Names":["/lok8s-registry-cache"],"Image":"sha256:77aa","State":"exited","Labels":null,
                 "NetworkSettings":{"Networks":{
                    "lok8s":{"IPAMConfig":{"IPv4Address":"10.125.125.102"},"IPAddress":""},
                    "bridge":{"IPAMConfig":null,"IPAddress":""}}}}
                """));

        assertThat(info.image()).as("the listed image, here an id: the tag moved").isEqualTo("sha256:77aa");
        assertThat(info.labels()).as("null labels").isEmpty();
        assertThat(info.networks()).containsOnly(Map.entry("lok8s", "10.125.125.102"), Map.entry("bridge", ""));
    }

    @Test
    void an_inspected_container_without_config_image_reports_the_image_id() {
        ContainerInfo info = ContainerMapping.inspected(Json.tree("""
                {"Id":"c0ffee","Name":"/x","Image":"sha256:1234","State":{"Status":"restarting"},"Config":{}}
                """));

        assertThat(info.image()).isEqualTo("sha256:1234");
        assertThat(info.upOrRestarting()).isTrue();
        assertThat(info.networks()).isEmpty();
    }

    @Test
    void published_ports_from_the_inspection_and_from_the_list() {
        // trimmed Docker 20.10 answers for a build registry published on 127.0.0.1:5001
        ContainerInfo inspected = ContainerMapping.inspected(Json.tree("""
                {"Id":"b1","Name":"/lok8s-registry-build","State":{"Status":"exited"},"Config":{"Image":"r:2"},
                 "HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"5001"}],
                                               "53/udp":[{"HostIp":"","HostPort":"5353"}],
                                               "81/tcp":[{"HostIp":"","HostPort":""}],
                                               "82/tcp":null}}}
                """));
        assertThat(inspected.ports()).as("TCP bindings with a fixed host port, kept while stopped")
                .containsExactly(new PublishedPort("127.0.0.1", 5001, 80));

        ContainerInfo listed = ContainerMapping.listed(Json.tree("""
                {"Id":"b1","Names":["/lok8s-registry-build"],"Image":"r:2","State":"running",
                 "Ports":[{"IP":"127.0.0.1","PrivatePort":80,"PublicPort":5001,"Type":"tcp"},
                          {"PrivatePort":5000,"Type":"tcp"},
                          {"IP":"0.0.0.0","PrivatePort":53,"PublicPort":5353,"Type":"udp"}]}
                """));
        assertThat(listed.ports()).as("what a running container publishes over TCP")
                .containsExactly(new PublishedPort("127.0.0.1", 5001, 80));
    }

    @Test
    void label_filter_uses_key_alone_for_a_null_value() {
        var labels = new java.util.HashMap<String, String>();
        labels.put("dev.lok8s.role", "mirror");
        labels.put("dev.lok8s.project", null);
        assertThat(ContainerMapping.labelFilter(labels)).containsExactly("dev.lok8s.project", "dev.lok8s.role=mirror");
    }
}
