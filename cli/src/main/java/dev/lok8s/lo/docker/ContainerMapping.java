package dev.lok8s.lo.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
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

/** Translates a {@link ContainerDefinition} onto a create command, and the engine's JSON answers back into {@link ContainerInfo}. */
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
                .withRestartPolicy(definition.restart() ? RestartPolicy.unlessStoppedRestart() : RestartPolicy.noRestart());
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

    /** A {@code GET /containers/{name}/json} answer. */
    static ContainerInfo inspected(JsonNode inspected) {
        JsonNode config = inspected.path("Config");
        String image = EngineQuery.text(config, "Image");
        if (image == null) {
            image = EngineQuery.text(inspected, "Image");  // the image id
        }
        String state = EngineQuery.text(inspected.path("State"), "Status");
        return new ContainerInfo(EngineQuery.text(inspected, "Id"), stripSlash(EngineQuery.text(inspected, "Name")), image,
                state == null ? "unknown" : state, EngineQuery.strings(config.get("Labels")),
                addresses(inspected.path("NetworkSettings").get("Networks")),
                bound(inspected.path("HostConfig").get("PortBindings")));
    }

    /** One entry of a {@code GET /containers/json} answer. */
    static ContainerInfo listed(JsonNode listed) {
        String id = EngineQuery.text(listed, "Id");
        JsonNode names = listed.path("Names");
        String name = names.isArray() && !names.isEmpty() && names.get(0).isTextual() ? stripSlash(names.get(0).asText()) : id;
        String state = EngineQuery.text(listed, "State");
        return new ContainerInfo(id, name, EngineQuery.text(listed, "Image"), state == null ? "unknown" : state,
                EngineQuery.strings(listed.get("Labels")), addresses(listed.path("NetworkSettings").get("Networks")),
                listedPorts(listed.get("Ports")));
    }

    /** The host bindings a container was created with (kept while it is stopped): {@code {"80/tcp": [{"HostIp", "HostPort"}]}}. */
    static List<PublishedPort> bound(JsonNode bindings) {
        List<PublishedPort> out = new ArrayList<>();
        if (bindings == null || !bindings.isObject()) {
            return out;
        }
        bindings.properties().forEach(e -> {
            String[] inside = e.getKey().split("/", 2);
            Integer containerPort = parsePort(inside[0]);
            boolean tcp = inside.length == 1 || "tcp".equals(inside[1]);
            if (containerPort == null || !tcp || !e.getValue().isArray()) {
                return;
            }
            for (JsonNode binding : e.getValue()) {
                Integer hostPort = parsePort(EngineQuery.text(binding, "HostPort"));
                if (hostPort != null) {
                    out.add(new PublishedPort(EngineQuery.text(binding, "HostIp"), hostPort, containerPort));
                }
            }
        });
        return out;
    }

    /** What the engine's list reports a running container publishes: {@code [{"IP", "PrivatePort", "PublicPort", "Type"}]}. */
    static List<PublishedPort> listedPorts(JsonNode ports) {
        List<PublishedPort> out = new ArrayList<>();
        if (ports == null || !ports.isArray()) {
            return out;
        }
        for (JsonNode port : ports) {
            String type = EngineQuery.text(port, "Type");
            if (port.path("PublicPort").isIntegralNumber() && port.path("PrivatePort").isIntegralNumber()
                    && (type == null || "tcp".equals(type))) {
                out.add(new PublishedPort(EngineQuery.text(port, "IP"), port.path("PublicPort").asInt(),
                        port.path("PrivatePort").asInt()));
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

    private static Map<String, String> addresses(JsonNode networks) {
        Map<String, String> out = new TreeMap<>();
        if (networks != null && networks.isObject()) {
            // The configured fixed address first: a stopped or restarting container has no live one.
            networks.properties().forEach(e -> {
                JsonNode endpoint = e.getValue();
                String fixed = EngineQuery.text(endpoint.path("IPAMConfig"), "IPv4Address");
                String live = EngineQuery.text(endpoint, "IPAddress");
                out.put(e.getKey(), fixed != null && !fixed.isEmpty() ? fixed : live == null ? "" : live);
            });
        }
        return out;
    }
}
