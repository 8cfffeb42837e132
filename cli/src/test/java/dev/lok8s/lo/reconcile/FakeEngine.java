package dev.lok8s.lo.reconcile;

import dev.lok8s.lo.engine.ContainerDefinition;
import dev.lok8s.lo.engine.ContainerEngine;
import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkDefinition;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.engine.ResourceConflictException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An in-memory Docker Engine for the act part's tests: networks, containers and volumes in maps,
 * every call logged, so a test can say which calls a run made.
 */
final class FakeEngine implements ContainerEngine {

    static final Set<String> MUTATING = Set.of("createNetwork", "removeNetwork", "connect", "disconnect",
            "runContainer", "startContainer", "stopContainer", "removeContainer", "pullImage", "createVolume",
            "removeVolume");

    final Map<String, NetworkInfo> networks = new LinkedHashMap<>();
    final Map<String, ContainerInfo> containers = new LinkedHashMap<>();
    final Map<String, Map<String, String>> volumes = new HashMap<>();
    final Set<String> images = new HashSet<>();
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** A network another process creates just before this one asks: createNetwork then conflicts. */
    NetworkInfo createdConcurrently;
    /** How many more lookups miss the concurrently created network (Docker lists it only once it exists). */
    int concurrentNetworkHiddenLooks;
    /** A container another process creates just before this one asks: runContainer then conflicts. */
    ContainerInfo containerCreatedConcurrently;
    /** How many more lookups miss the concurrently created container (Docker shows it only once created). */
    int concurrentContainerHiddenLooks;
    /** Every list call fails as when the engine's socket does not answer. */
    volatile boolean unreachable;

    List<String> mutatingCalls() {
        return calls.stream().filter(c -> MUTATING.contains(c.split(" ")[0])).toList();
    }

    @Override
    public void ping() {
        calls.add("ping");
    }

    @Override
    public String endpoint() {
        return "fake://";
    }

    @Override
    public synchronized Optional<NetworkInfo> findNetwork(String name) {
        calls.add("findNetwork " + name);
        if (concurrentNetworkHiddenLooks > 0) {
            concurrentNetworkHiddenLooks--;
            return Optional.empty();
        }
        return Optional.ofNullable(networks.get(name));
    }

    @Override
    public synchronized List<NetworkInfo> listNetworks() {
        calls.add("listNetworks");
        return networks.values().stream()
                .map(n -> new NetworkInfo(n.id(), n.name(), n.subnet(), n.labels(), Map.of())).toList();
    }

    @Override
    public synchronized NetworkInfo createNetwork(NetworkDefinition d) {
        calls.add("createNetwork " + d.name());
        if (createdConcurrently != null && createdConcurrently.name().equals(d.name())) {
            networks.put(d.name(), createdConcurrently);
            createdConcurrently = null;
            throw new ResourceConflictException("network " + d.name() + " exists", null);
        }
        if (networks.containsKey(d.name())) {
            throw new ResourceConflictException("network " + d.name() + " exists", null);
        }
        NetworkInfo n = new NetworkInfo("id-" + d.name(), d.name(), d.subnet(), d.labels(), Map.of());
        networks.put(d.name(), n);
        return n;
    }

    @Override
    public synchronized void removeNetwork(String name) {
        calls.add("removeNetwork " + name);
        networks.remove(name);
    }

    @Override
    public synchronized void connect(String network, String container, String ipv4) {
        calls.add("connect " + network + " " + container);
        ContainerInfo c = containers.get(container);
        Map<String, String> nets = new HashMap<>(c.networks());
        nets.put(network, ipv4 == null ? "10.99.0." + (nets.size() + 10) : ipv4);
        containers.put(container, new ContainerInfo(c.id(), c.name(), c.image(), c.state(), c.labels(), nets));
    }

    @Override
    public synchronized void disconnect(String network, String container, boolean force) {
        calls.add("disconnect " + network + " " + container);
        ContainerInfo c = containers.get(container);
        Map<String, String> nets = new HashMap<>(c.networks());
        nets.remove(network);
        containers.put(container, new ContainerInfo(c.id(), c.name(), c.image(), c.state(), c.labels(), nets));
    }

    @Override
    public synchronized Optional<ContainerInfo> findContainer(String name) {
        calls.add("findContainer " + name);
        if (concurrentContainerHiddenLooks > 0 && containerCreatedConcurrently == null
                && containers.containsKey(name) && "id-x".equals(containers.get(name).id())) {
            concurrentContainerHiddenLooks--;
            return Optional.empty();
        }
        return Optional.ofNullable(containers.get(name));
    }

    @Override
    public synchronized List<ContainerInfo> listContainers(Map<String, String> labels) {
        calls.add("listContainers " + labels);
        if (unreachable) {
            throw new dev.lok8s.lo.engine.EngineUnavailableException("cannot reach the Docker Engine at fake://", null);
        }
        return containers.values().stream()
                .filter(c -> labels.entrySet().stream().allMatch(e -> c.labels().containsKey(e.getKey())
                        && (e.getValue() == null || e.getValue().equals(c.labels().get(e.getKey())))))
                .toList();
    }

    @Override
    public synchronized ContainerInfo runContainer(ContainerDefinition d) {
        calls.add("runContainer " + d.name());
        if (containerCreatedConcurrently != null && containerCreatedConcurrently.name().equals(d.name())) {
            containers.put(d.name(), containerCreatedConcurrently);
            containerCreatedConcurrently = null;
        }
        if (containers.containsKey(d.name())) {
            throw new ResourceConflictException("container " + d.name() + " exists", null);
        }
        ContainerInfo c = new ContainerInfo("id-" + d.name(), d.name(), d.image(), "running", d.labels(),
                Map.of(d.network(), d.ipv4()));
        containers.put(d.name(), c);
        return c;
    }

    @Override
    public synchronized void startContainer(String name) {
        calls.add("startContainer " + name);
        state(name, "running");
    }

    @Override
    public synchronized void stopContainer(String name) {
        calls.add("stopContainer " + name);
        state(name, "exited");
    }

    private void state(String name, String state) {
        ContainerInfo c = containers.get(name);
        containers.put(name, new ContainerInfo(c.id(), c.name(), c.image(), state, c.labels(), c.networks()));
    }

    @Override
    public synchronized void removeContainer(String name) {
        calls.add("removeContainer " + name);
        containers.remove(name);
    }

    @Override
    public String logs(String container, int lines) {
        calls.add("logs " + container);
        return "";
    }

    @Override
    public int waitForExit(String name, java.time.Duration timeout) {
        calls.add("wait " + name);
        return 0;
    }

    @Override
    public String timestampedLogs(String container, java.time.Instant since) {
        calls.add("logs " + container);
        return "";
    }

    @Override
    public synchronized boolean imagePresent(String image) {
        calls.add("imagePresent " + image);
        return images.contains(image);
    }

    @Override
    public synchronized void pullImage(String image, Consumer<String> progress) {
        calls.add("pullImage " + image);
        images.add(image);
    }

    @Override
    public synchronized boolean volumeExists(String name) {
        calls.add("volumeExists " + name);
        return volumes.containsKey(name);
    }

    @Override
    public synchronized void createVolume(String name, Map<String, String> labels) {
        calls.add("createVolume " + name);
        volumes.put(name, labels);
    }

    @Override
    public synchronized void removeVolume(String name) {
        calls.add("removeVolume " + name);
        volumes.remove(name);
    }

    @Override
    public synchronized List<String> listVolumes(Map<String, String> labels) {
        calls.add("listVolumes " + labels);
        return volumes.entrySet().stream()
                .filter(v -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(v.getValue().get(e.getKey()))))
                .map(Map.Entry::getKey).sorted().toList();
    }

    /** Sizes are not modelled: every volume reads as empty. */
    @Override
    public synchronized Map<String, Long> volumeSizes() {
        Map<String, Long> sizes = new HashMap<>();
        volumes.keySet().forEach(name -> sizes.put(name, 0L));
        return sizes;
    }
}
