package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.kind.KindExecutable;
import dev.lok8s.lo.observe.MachineSnapshot;
import dev.lok8s.lo.observe.StoredCertificate;
import dev.lok8s.lo.plan.Labels;
import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A machine for the rules' tests, built up one resource at a time into a {@link MachineSnapshot}. */
final class Machine {

    final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
    final Set<String> volumes = new HashSet<>();
    final Set<String> ownedVolumes = new HashSet<>();
    boolean imagePresent;
    Map<String, String> certsFiles = Map.of();
    boolean certsIgnored;
    StoredCertificate certificate;

    static Machine empty() {
        return new Machine();
    }

    /** Everything of the plan in place, as an uninterrupted provision leaves it (nodes on both networks). */
    static Machine provisioned(RegistryPlan plan) {
        Machine m = new Machine().image(plan);
        plan.networks().forEach(m::network);
        plan.registries().forEach(m::registry);
        m.certsFiles = Map.copyOf(plan.certsFiles());
        m.certsIgnored = true;
        List<String> nets = plan.networks().stream().map(PlannedNetwork::name).toList();
        m.node(plan.clusterName() + "-control-plane", plan.clusterName(), nets.toArray(String[]::new));
        return m;
    }

    Machine image(RegistryPlan plan) {
        imagePresent = true;
        return this;
    }

    Machine network(PlannedNetwork planned) {
        return network(planned.name(), planned.cidr(), planned.labels());
    }

    Machine network(String name, String cidr, Map<String, String> labels) {
        networks.put(name, new NetworkInfo("id-" + name, name, cidr, labels, Map.of()));
        return this;
    }

    /** The registry as lo runs it: its labels, the plan's image, its address, running. */
    Machine registry(PlannedRegistry r) {
        containers.put(r.container(), new ContainerInfo("id-" + r.container(), r.container(),
                RulesFixture.IMAGE, "running", r.labels(), Map.of(r.network(), r.ip())));
        volumes.add(r.volume());
        ownedVolumes.add(r.volume());
        return this;
    }

    Machine container(String name, String image, String state, Map<String, String> labels, Map<String, String> nets) {
        containers.put(name, new ContainerInfo("id-" + name, name, image, state, labels, nets));
        return this;
    }

    Machine state(String container, String state) {
        ContainerInfo c = containers.get(container);
        containers.put(container, new ContainerInfo(c.id(), c.name(), c.image(), state, c.labels(), c.networks()));
        return this;
    }

    Machine label(String container, String key, String value) {
        ContainerInfo c = containers.get(container);
        Map<String, String> labels = new LinkedHashMap<>(c.labels());
        if (value == null) {
            labels.remove(key);
        } else {
            labels.put(key, value);
        }
        containers.put(container, new ContainerInfo(c.id(), c.name(), c.image(), c.state(), labels, c.networks()));
        return this;
    }

    Machine node(String name, String cluster, String... nets) {
        Map<String, String> addresses = new LinkedHashMap<>();
        int i = 200;
        for (String net : nets) {
            String subnet = networks.containsKey(net) ? networks.get(net).subnet() : "10.9.9.0/24";
            addresses.put(net, subnet.substring(0, subnet.lastIndexOf('.')) + "." + i++);
        }
        containers.put(name, new ContainerInfo("id-" + name, name, "kindest/node", "running",
                Map.of(KindExecutable.CLUSTER_LABEL, cluster), addresses));
        return this;
    }

    Machine volume(String name, boolean owned) {
        volumes.add(name);
        if (owned) {
            ownedVolumes.add(name);
        }
        return this;
    }

    Machine certificate(String pem) {
        certificate = new StoredCertificate(null, pem);
        return this;
    }

    MachineSnapshot snapshot() {
        return MachineSnapshot.of(List.copyOf(containers.values()), List.copyOf(networks.values()), volumes,
                ownedVolumes, imagePresent, certsFiles, certsIgnored, Optional.ofNullable(certificate));
    }

    static Map<String, String> ours() {
        return Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_LO);
    }
}
