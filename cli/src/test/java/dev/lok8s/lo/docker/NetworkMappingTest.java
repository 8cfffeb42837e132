package dev.lok8s.lo.docker;

import com.github.dockerjava.core.command.CreateNetworkCmdImpl;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkMappingTest {

    // trimmed `GET /networks/{id}` answer of Docker 20.10
    private static final String INSPECTED = """
            {"Name":"lok8s-registries","Id":"8b15c069b3a1f0","Scope":"local","Driver":"bridge",
             "IPAM":{"Driver":"default","Options":{},
                     "Config":[{"Subnet":"fd00::/64"},{"Subnet":"10.125.200.0/24","Gateway":"10.125.200.1"}]},
             "Containers":{
               "c1":{"Name":"lok8s-registry-io-docker","EndpointID":"e1","MacAddress":"02:42:0a:7d:c8:02",
                     "IPv4Address":"10.125.200.2/24","IPv6Address":""},
               "c2":{"Name":"kind-control-plane","EndpointID":"e2","IPv4Address":"10.125.200.9/24","IPv6Address":""}},
             "Labels":{"dev.lok8s.managed":"true"}}
            """;

    @Test
    void inspected_network_becomes_network_info_with_ipv4_subnet_and_bare_addresses() {
        NetworkInfo info = NetworkMapping.toInfo(Json.tree(INSPECTED));

        assertThat(info.id()).isEqualTo("8b15c069b3a1f0");
        assertThat(info.name()).isEqualTo("lok8s-registries");
        assertThat(info.subnet()).as("first IPv4 subnet of the IPAM config").isEqualTo("10.125.200.0/24");
        assertThat(info.labels()).containsExactly(Map.entry("dev.lok8s.managed", "true"));
        assertThat(info.containers()).as("container name to IP without prefix length").containsOnly(
                Map.entry("lok8s-registry-io-docker", "10.125.200.2"),
                Map.entry("kind-control-plane", "10.125.200.9"));
    }

    @Test
    void network_without_ipam_config_or_containers() {
        NetworkInfo info = NetworkMapping.toInfo(Json.tree("""
                {"Name":"none","Id":"33b1","IPAM":{"Driver":"default","Config":[]},"Containers":{}}"""));

        assertThat(info.subnet()).isNull();
        assertThat(info.containers()).isEmpty();
        assertThat(info.labels()).isEmpty();
    }

    @Test
    void definition_becomes_a_labelled_bridge_with_subnet_and_gateway() {
        var cmd = NetworkMapping.applyTo(new NetworkDefinition("lok8s", "10.125.125.0/24", "10.125.125.1",
                "10.125.125.192/26", Map.of("dev.lok8s.managed", "true")), new CreateNetworkCmdImpl(unused -> { throw new UnsupportedOperationException(); }));

        assertThat(cmd.getName()).isEqualTo("lok8s");
        assertThat(cmd.getDriver()).isEqualTo("bridge");
        assertThat(cmd.getCheckDuplicate()).isTrue();
        assertThat(cmd.getLabels()).containsExactly(Map.entry("dev.lok8s.managed", "true"));
        assertThat(cmd.getIpam().getConfig()).singleElement().satisfies(c -> {
            assertThat(c.getSubnet()).isEqualTo("10.125.125.0/24");
            assertThat(c.getIpRange()).as("nodes get addresses above lo's fixed ones").isEqualTo("10.125.125.192/26");
            assertThat(c.getGateway()).isEqualTo("10.125.125.1");
        });
    }

    @Test
    void strips_prefix_length() {
        assertThat(NetworkMapping.stripPrefixLength("10.1.2.3/24")).isEqualTo("10.1.2.3");
        assertThat(NetworkMapping.stripPrefixLength("10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(NetworkMapping.stripPrefixLength(null)).isEmpty();
    }
}
