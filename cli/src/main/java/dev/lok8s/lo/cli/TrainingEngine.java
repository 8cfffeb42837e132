package dev.lok8s.lo.cli;

import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.engine.ResourceConflictException;
import dev.lok8s.lo.plan.PlannedNetwork;
import dev.lok8s.lo.plan.PlannedRegistry;
import dev.lok8s.lo.plan.RegistryPlan;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The AOT training run's Docker Engine ({@code lo train}): networks, containers and volumes kept in
 * maps, so a provision, a re-run, a status and a teardown run through lo's own code (and load its
 * classes into the cache) on a build machine that may have no Docker at all, changing nothing.
 */
final class TrainingEngine implements ContainerEngine {

    private final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
    private final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> volumes = new LinkedHashMap<>();

    /** The plan's networks and registries, as a provision leaves them (for a status without a run before it). */
    synchronized void running(RegistryPlan plan) {
        for (PlannedNetwork network : plan.networks()) {
            networks.putIfAbsent(network.name(), new NetworkInfo("train-" + network.name(), network.name(),
                    network.cidr(), network.labels(), Map.of()));
        }
        for (PlannedRegistry registry : plan.registries()) {
            containers.putIfAbsent(registry.container(), new ContainerInfo("train-" + registry.container(),
                    registry.container(), "registry", "running", registry.labels(),
                    Map.of(registry.network(), registry.ip())));
        }
    }

    @Override
    public void ping() {
    }

    @Override
    public String endpoint() {
        return "lo-train://";
    }

    @Override
    public synchronized Optional<NetworkInfo> findNetwork(String name) {
        return Optional.ofNullable(networks.get(name)).map(this::withMembers);
    }

    @Override
    public synchronized List<NetworkInfo> listNetworks() {
        return networks.values().stream().map(this::withMembers).toList();
    }

    private NetworkInfo withMembers(NetworkInfo network) {
        Map<String, String> members = new LinkedHashMap<>();
        containers.values().stream().filter(c -> c.networks().containsKey(network.name()))
                .forEach(c -> members.put(c.name(), c.networks().get(network.name())));
        return new NetworkInfo(network.id(), network.name(), network.subnet(), network.labels(), members);
    }

    @Override
    public synchronized NetworkInfo createNetwork(NetworkDefinition definition) {
        if (networks.containsKey(definition.name())) {
            throw new ResourceConflictException("network " + definition.name() + " exists", null);
        }
        NetworkInfo network = new NetworkInfo("train-" + definition.name(), definition.name(), definition.subnet(),
                definition.labels(), Map.of());
        networks.put(definition.name(), network);
        return network;
    }

    @Override
    public synchronized void removeNetwork(String name) {
        networks.remove(name);
    }

    @Override
    public synchronized void connect(String network, String container, String ipv4) {
        Map<String, String> attached = new LinkedHashMap<>(containers.get(container).networks());
        attached.put(network, ipv4 == null ? "" : ipv4);
        replace(container, null, attached);
    }

    @Override
    public synchronized void disconnect(String network, String container, boolean force) {
        Map<String, String> attached = new LinkedHashMap<>(containers.get(container).networks());
        attached.remove(network);
        replace(container, null, attached);
    }

    @Override
    public synchronized Optional<ContainerInfo> findContainer(String name) {
        return Optional.ofNullable(containers.get(name));
    }

    @Override
    public synchronized List<ContainerInfo> listContainers(Map<String, String> labels) {
        return containers.values().stream()
                .filter(c -> labels.entrySet().stream().allMatch(e -> c.labels().containsKey(e.getKey())
                        && (e.getValue() == null || e.getValue().equals(c.labels().get(e.getKey())))))
                .toList();
    }

    @Override
    public synchronized ContainerInfo runContainer(ContainerDefinition definition) {
        if (containers.containsKey(definition.name())) {
            throw new ResourceConflictException("container " + definition.name() + " exists", null);
        }
        ContainerInfo container = new ContainerInfo("train-" + definition.name(), definition.name(),
                definition.image(), "running", definition.labels(),
                Map.of(definition.network(), definition.ipv4() == null ? "" : definition.ipv4()), definition.ports());
        containers.put(definition.name(), container);
        return container;
    }

    @Override
    public synchronized void startContainer(String name) {
        replace(name, "running", null);
    }

    @Override
    public synchronized void stopContainer(String name) {
        replace(name, "exited", null);
    }

    /** The container with a new state and/or networks (null: unchanged). */
    private void replace(String name, String state, Map<String, String> networks) {
        ContainerInfo c = containers.get(name);
        containers.put(name, new ContainerInfo(c.id(), c.name(), c.image(), state == null ? c.state() : state,
                c.labels(), networks == null ? c.networks() : networks, c.ports()));
    }

    @Override
    public int waitForExit(String name, Duration timeout) {
        return 0;
    }

    @Override
    public synchronized void removeContainer(String name) {
        containers.remove(name);
    }

    @Override
    public String logs(String container, int lines) {
        return "";
    }

    @Override
    public String timestampedLogs(String container, Instant since) {
        return "";
    }

    @Override
    public boolean imagePresent(String image) {
        return true;
    }

    @Override
    public void pullImage(String image, Consumer<String> progress) {
    }

    @Override
    public synchronized boolean volumeExists(String name) {
        return volumes.containsKey(name);
    }

    @Override
    public synchronized void createVolume(String name, Map<String, String> labels) {
        volumes.put(name, Map.copyOf(labels));
    }

    @Override
    public synchronized void removeVolume(String name) {
        volumes.remove(name);
    }

    @Override
    public synchronized List<String> listVolumes(Map<String, String> labels) {
        return volumes.entrySet().stream()
                .filter(v -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(v.getValue().get(e.getKey()))))
                .map(Map.Entry::getKey).sorted().toList();
    }

    @Override
    public synchronized Map<String, Long> volumeSizes() {
        Map<String, Long> sizes = new HashMap<>();
        volumes.keySet().forEach(name -> sizes.put(name, 0L));
        return sizes;
    }
}
