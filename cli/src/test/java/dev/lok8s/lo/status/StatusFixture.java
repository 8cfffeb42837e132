package dev.lok8s.lo.status;

import dev.lok8s.lo.plan.Scope;
import dev.lok8s.lo.projection.RegistryLog;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.PublishedPort;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.plan.PlanSettings;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.Planner;
import dev.lok8s.lo.plan.RegistryPlan;
import dev.lok8s.lo.registry.RegistryProbe;
import dev.lok8s.lo.spec.SpecBuilder;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The document's slot-125 project with two shared mirrors, and a machine observed to match it
 * exactly (every registry running, reachable, at its address, logged running); tests then change
 * one thing.
 */
final class StatusFixture {

    static final RegistryPlan PLAN = Planner.plan(SpecBuilder.defaultCluster()
                    .mirrors("io-docker", "https://registry-1.docker.io", "io-quay", "https://quay.io").spec(),
            PlanSettings.of(Path.of("/p/clusters/lok8s.dev")));

    final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
    final Map<String, RegistryLog.LoggedRegistry> logged = new LinkedHashMap<>();
    final Set<String> users = new HashSet<>(Set.of("lok8s", "other"));
    final Map<String, RegistryProbe.Answer> answers = new LinkedHashMap<>();
    final Map<String, ContainerInfo> nodes = new LinkedHashMap<>();
    final Map<String, dev.lok8s.lo.upstream.MirrorUpstream> upstreams = new LinkedHashMap<>();

    StatusFixture() {
        Map<String, Map<String, String>> attached = new LinkedHashMap<>();
        for (PlannedRegistry r : PLAN.registries()) {
            // build and cache published on their loopback port, as lo runs them
            containers.put(r.container(), new ContainerInfo("id-" + r.container(), r.container(), PLAN.image(),
                    "running", r.labels(), Map.of(r.network(), r.ip()), r.hostPort() == null ? List.of()
                    : List.of(new PublishedPort(Planner.LOOPBACK_IP, r.hostPort(), PLAN.port()))));
            attached.computeIfAbsent(r.network(), k -> new LinkedHashMap<>()).put(r.container(), r.ip());
            logged.put(r.container(), new RegistryLog.LoggedRegistry(r.container(), r.role(),
                    r.isMirror() ? Scope.SHARED : Scope.PROJECT, "lok8s", r.network(), r.ip(), "running", r.configHash()));
            answers.put(r.container(), new RegistryProbe.Answer(true, 200, null));
        }
        String node = "lok8s-control-plane";
        nodes.put(node, new ContainerInfo("id-node", node, "kindest/node", "running",
                Map.of(KindExecutable.CLUSTER_LABEL, "lok8s"),
                Map.of("lok8s", "10.125.125.193", "lok8s-registries", "10.125.200.193")));
        attached.get("lok8s").put(node, "10.125.125.193");
        attached.get("lok8s-registries").put(node, "10.125.200.193");
        networks.put("lok8s", new NetworkInfo("n1", "lok8s", "10.125.125.0/24",
                PLAN.projectNetwork().labels(), attached.get("lok8s")));
        networks.put("lok8s-registries", new NetworkInfo("n2", "lok8s-registries", "10.125.200.0/24",
                PLAN.sharedNetwork().labels(), attached.get("lok8s-registries")));
    }

    StatusFixture state(String container, String state) {
        ContainerInfo c = containers.get(container);
        containers.put(container, new ContainerInfo(c.id(), c.name(), c.image(), state, c.labels(), c.networks(),
                c.ports()));
        if (!"running".equals(state)) {
            answers.remove(container);
        }
        return this;
    }

    StatusFixture label(String container, String key, String value) {
        ContainerInfo c = containers.get(container);
        Map<String, String> labels = new LinkedHashMap<>(c.labels());
        if (value == null) {
            labels.remove(key);
        } else {
            labels.put(key, value);
        }
        containers.put(container, new ContainerInfo(c.id(), c.name(), c.image(), c.state(), labels, c.networks(),
                c.ports()));
        return this;
    }

    StatusFixture address(String container, String network, String ip) {
        ContainerInfo c = containers.get(container);
        containers.put(container, new ContainerInfo(c.id(), c.name(), c.image(), c.state(), c.labels(),
                Map.of(network, ip), c.ports()));
        NetworkInfo n = networks.get(network);
        Map<String, String> attached = new LinkedHashMap<>(n.containers());
        attached.put(container, ip);
        networks.put(network, new NetworkInfo(n.id(), n.name(), n.subnet(), n.labels(), attached));
        return this;
    }

    StatusFixture attach(String network, String container, String ip) {
        NetworkInfo n = networks.get(network);
        Map<String, String> attached = new LinkedHashMap<>(n.containers());
        attached.put(container, ip);
        networks.put(network, new NetworkInfo(n.id(), n.name(), n.subnet(), n.labels(), attached));
        return this;
    }

    StatusFixture subnet(String network, String subnet) {
        NetworkInfo n = networks.get(network);
        networks.put(network, new NetworkInfo(n.id(), n.name(), subnet, n.labels(), n.containers()));
        return this;
    }

    StatusFixture nodeOff(String node, String network) {
        ContainerInfo c = nodes.get(node);
        Map<String, String> on = new LinkedHashMap<>(c.networks());
        on.remove(network);
        nodes.put(node, new ContainerInfo(c.id(), c.name(), c.image(), c.state(), c.labels(), on));
        return this;
    }

    /** The container publishes nothing on the host (its port label stays as it was). */
    StatusFixture unpublished(String container) {
        ContainerInfo c = containers.get(container);
        containers.put(container, new ContainerInfo(c.id(), c.name(), c.image(), c.state(), c.labels(), c.networks()));
        return this;
    }

    StatusFixture unreachable(String container, String error) {
        answers.put(container, new RegistryProbe.Answer(false, 0, error));
        return this;
    }

    StatusFixture gone(String container) {
        containers.remove(container);
        answers.remove(container);
        return this;
    }

    RegistryStatusService.Observed observed() {
        return new RegistryStatusService.Observed(containers, networks, logged, users, answers,
                List.copyOf(nodes.values()), upstreams, java.util.Map.of());
    }

    RegistryStatusReport report() {
        return RegistryStatusService.assemble(PLAN, observed());
    }

    DoctorReport doctor() {
        return Doctor.examine(PLAN, report(), observed());
    }

    static final String BUILD = "lok8s-registry-build";
    static final String CACHE = "lok8s-registry-cache";
    static final String DOCKER_MIRROR = "lok8s-registry-io-docker";
}
