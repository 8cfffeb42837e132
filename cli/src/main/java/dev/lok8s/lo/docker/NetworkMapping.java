package dev.lok8s.lo.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.CreateNetworkCmd;
import com.github.dockerjava.api.model.Network;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;

import java.util.Map;
import java.util.TreeMap;

/** Translates a {@link NetworkDefinition} onto a create command, and the engine's JSON answers back into {@link NetworkInfo}. */
final class NetworkMapping {

    private NetworkMapping() {
    }

    /** A {@code GET /networks/{id}} answer, or one entry of {@code GET /networks}. */
    static NetworkInfo toInfo(JsonNode network) {
        String subnet = null;
        for (JsonNode config : network.path("IPAM").path("Config")) {
            String s = EngineQuery.text(config, "Subnet");
            if (s != null && s.contains(".")) { // first IPv4 subnet
                subnet = s;
                break;
            }
        }
        Map<String, String> containers = new TreeMap<>();
        JsonNode attached = network.get("Containers");
        if (attached != null && attached.isObject()) {
            attached.properties().forEach(e -> {
                String name = EngineQuery.text(e.getValue(), "Name");
                containers.put(name != null ? name : e.getKey(), stripPrefixLength(EngineQuery.text(e.getValue(), "IPv4Address")));
            });
        }
        return new NetworkInfo(EngineQuery.text(network, "Id"), EngineQuery.text(network, "Name"), subnet,
                EngineQuery.strings(network.get("Labels")), containers);
    }

    static CreateNetworkCmd applyTo(NetworkDefinition definition, CreateNetworkCmd cmd) {
        Network.Ipam.Config config = new Network.Ipam.Config().withSubnet(definition.subnet());
        if (definition.gateway() != null) {
            config.withGateway(definition.gateway());
        }
        if (definition.ipRange() != null) {
            config.withIpRange(definition.ipRange());
        }
        return cmd.withName(definition.name())
                .withDriver("bridge")
                .withCheckDuplicate(true)
                .withIpam(new Network.Ipam().withConfig(config))
                .withLabels(definition.labels());
    }

    /** {@code 10.1.2.3/24} to {@code 10.1.2.3}; empty or null to "" (an endpoint without an address). */
    static String stripPrefixLength(String address) {
        if (address == null) {
            return "";
        }
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }
}
