package dev.lok8s.lo.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.PublishedPort;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Translates a {@link ContainerDefinition} onto a create command, and engine answers back into {@link ContainerInfo}. */
final class ContainerMapping {

    private ContainerMapping() {
    }

    /** Everything of the definition except its files, which are copied in after create. */
    static CreateContainerCmd applyTo(ContainerDefinition definition, CreateContainerCmd cmd) {
        List<Bind> binds = new TreeMap<>(definition.volumes()).entrySet().stream()
                .map(e -> new Bind(e.getKey(), new Volume(e.getValue())))
                .toList();
        HostConfig host = HostConfig.newHostConfig()
                .withNetworkMode(definition.network())
                .withBinds(binds)
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart());
        if (!definition.ports().isEmpty()) {
            Ports bindings = new Ports();
            List<ExposedPort> exposed = new ArrayList<>();
            for (PublishedPort port : definition.ports()) {
                ExposedPort inside = ExposedPort.tcp(port.containerPort());
                exposed.add(inside);
                bindings.bind(inside, Ports.Binding.bindIpAndPort(port.hostIp(), port.hostPort()));
            }
            host.withPortBindings(bindings);
            cmd.withExposedPorts(exposed);
        }
        cmd.withName(definition.name())
                .withLabels(definition.labels())
                .withHostConfig(host);
        if (definition.ipv4() != null) {
            cmd.withIpv4Address(definition.ipv4());
        }
        if (!definition.command().isEmpty()) {
            cmd.withCmd(definition.command());
        }
        return cmd;
    }

    static ContainerInfo toInfo(InspectContainerResponse inspected) {
        String image = inspected.getConfig() != null && inspected.getConfig().getImage() != null
                ? inspected.getConfig().getImage() : inspected.getImageId();
        String state = inspected.getState() != null ? inspected.getState().getStatus() : null;
        Map<String, String> labels = inspected.getConfig() != null ? inspected.getConfig().getLabels() : null;
        Map<String, ContainerNetwork> networks = inspected.getNetworkSettings() != null
                ? inspected.getNetworkSettings().getNetworks() : null;
        Ports bound = inspected.getHostConfig() == null ? null : inspected.getHostConfig().getPortBindings();
        return new ContainerInfo(inspected.getId(), stripSlash(inspected.getName()), image,
                state == null ? "unknown" : state, labels == null ? Map.of() : labels, addresses(networks),
                published(bound));
    }

    static ContainerInfo toInfo(Container listed) {
        String name = listed.getNames() != null && listed.getNames().length > 0
                ? stripSlash(listed.getNames()[0]) : listed.getId();
        Map<String, ContainerNetwork> networks = listed.getNetworkSettings() != null
                ? listed.getNetworkSettings().getNetworks() : null;
        return new ContainerInfo(listed.getId(), name, listed.getImage(),
                listed.getState() == null ? "unknown" : listed.getState(),
                listed.getLabels() == null ? Map.of() : listed.getLabels(), addresses(networks),
                published(listed.getPorts()));
    }

    /** The host bindings a container was created with (kept while it is stopped). */
    static List<PublishedPort> published(Ports bound) {
        List<PublishedPort> out = new ArrayList<>();
        if (bound == null || bound.getBindings() == null) {
            return out;
        }
        bound.getBindings().forEach((inside, bindings) -> {
            if (bindings == null || inside.getProtocol() != InternetProtocol.TCP) {
                return;
            }
            for (Ports.Binding binding : bindings) {
                Integer hostPort = parsePort(binding.getHostPortSpec());
                if (hostPort != null) {
                    out.add(new PublishedPort(binding.getHostIp(), hostPort, inside.getPort()));
                }
            }
        });
        return out;
    }

    /** What the engine's list reports a running container publishes. */
    static List<PublishedPort> published(ContainerPort[] ports) {
        List<PublishedPort> out = new ArrayList<>();
        if (ports == null) {
            return out;
        }
        for (ContainerPort port : ports) {
            if (port.getPublicPort() != null && port.getPrivatePort() != null
                    && (port.getType() == null || "tcp".equals(port.getType()))) {
                out.add(new PublishedPort(port.getIp(), port.getPublicPort(), port.getPrivatePort()));
            }
        }
        return out;
    }

    private static Integer parsePort(String spec) {
        if (spec == null || spec.isEmpty() || !spec.chars().allMatch(Character::isDigit) || spec.length() > 5) {
            return null; // a range or an engine-chosen port: not one lo publishes
        }
        return Integer.parseInt(spec);
    }

    /** Docker's {@code label} filter values: {@code key=value}, or {@code key} alone for a null value. */
    static List<String> labelFilter(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream()
                .map(e -> e.getValue() == null ? e.getKey() : e.getKey() + "=" + e.getValue())
                .toList();
    }

    static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    private static Map<String, String> addresses(Map<String, ContainerNetwork> networks) {
        Map<String, String> out = new TreeMap<>();
        if (networks != null) {
            // The configured fixed address first: a stopped or restarting container has no live one.
            networks.forEach((net, endpoint) -> {
                String fixed = endpoint.getIpamConfig() == null ? null : endpoint.getIpamConfig().getIpv4Address();
                String live = endpoint.getIpAddress();
                out.put(net, fixed != null && !fixed.isEmpty() ? fixed : live == null ? "" : live);
            });
        }
        return out;
    }
}
