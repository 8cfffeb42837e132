package dev.lok8s.lo.docker;

import com.github.dockerjava.api.command.CreateNetworkCmd;
import com.github.dockerjava.api.model.Network;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;

import java.util.Map;
import java.util.TreeMap;

/** Translates between the port's network records and docker-java's {@link Network}. */
final class NetworkMapping {

    private NetworkMapping() {
    }

    static NetworkInfo toInfo(Network network) {
        String subnet = null;
        if (network.getIpam() != null && network.getIpam().getConfig() != null) {
            subnet = network.getIpam().getConfig().stream()
                    .map(Network.Ipam.Config::getSubnet)
                    .filter(s -> s != null && s.contains(".")) // first IPv4 subnet
                    .findFirst().orElse(null);
        }
        Map<String, String> containers = new TreeMap<>();
        if (network.getContainers() != null) {
            network.getContainers().forEach((id, endpoint) -> {
                String name = endpoint.getName() != null ? endpoint.getName() : id;
                containers.put(name, stripPrefixLength(endpoint.getIpv4Address()));
            });
        }
        return new NetworkInfo(network.getId(), network.getName(), subnet,
                network.getLabels() == null ? Map.of() : network.getLabels(), containers);
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
