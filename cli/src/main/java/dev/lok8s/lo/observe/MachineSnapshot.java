package dev.lok8s.lo.observe;

import dev.lok8s.lo.engine.ContainerInfo;
import dev.lok8s.lo.engine.NetworkInfo;
import dev.lok8s.lo.kind.KindExecutable;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything lo needs to know about the machine, looked at once: every container (with its
 * networks and labels), every network (with who is attached), lo's volumes, whether the registry
 * image is present, the certs.d tree and the registry certificate. Provision, teardown, status and
 * doctor all decide from this one type; it is immutable, and the act part derives the next
 * snapshot from it with the {@code with...} methods as it changes the machine.
 *
 * @param containers   container name to container, running or not
 * @param networks     network name to network; {@link NetworkInfo#containers()} as the container list says
 * @param volumes      every volume's name
 * @param ownedVolumes the volumes carrying lo's managed-by label
 * @param imagePresent whether the plan's registry image is present (false when not asked)
 * @param certsFiles   the certs.d tree: path relative to it to content; empty when there is none
 * @param certsIgnored whether the {@code .gitignore} beside certs.d is in place
 * @param certificate  the registry certificate on disk (TLS mode), if any
 */
public record MachineSnapshot(Map<String, ContainerInfo> containers, Map<String, NetworkInfo> networks,
                              Set<String> volumes, Set<String> ownedVolumes, boolean imagePresent, Map<String, String> certsFiles,
                              boolean certsIgnored, Optional<StoredCertificate> certificate) {

    public static final MachineSnapshot EMPTY = new MachineSnapshot(Map.of(), Map.of(), Set.of(), Set.of(), false, Map.of(),
            false, Optional.empty());

    public MachineSnapshot {
        containers = Map.copyOf(containers);
        networks = Map.copyOf(networks);
        volumes = Set.copyOf(volumes);
        ownedVolumes = Set.copyOf(ownedVolumes);
        certsFiles = Map.copyOf(certsFiles);
    }

    /**
     * Builds a snapshot from the engine's lists; each network's attached containers come from the
     * containers' own network maps, so one container list answers "who is on this network".
     */
    public static MachineSnapshot of(List<ContainerInfo> containers, List<NetworkInfo> networks, Set<String> volumes,
                                     Set<String> ownedVolumes, boolean imagePresent, Map<String, String> certsFiles, boolean certsIgnored,
                                     Optional<StoredCertificate> certificate) {
        Map<String, ContainerInfo> byName = new LinkedHashMap<>();
        containers.forEach(c -> byName.put(c.name(), c));
        Map<String, NetworkInfo> byNetwork = new LinkedHashMap<>();
        for (NetworkInfo network : networks) {
            byNetwork.put(network.name(), attach(network, byName.values()));
        }
        return new MachineSnapshot(byName, byNetwork, volumes, ownedVolumes, imagePresent, certsFiles, certsIgnored, certificate);
    }

    private static NetworkInfo attach(NetworkInfo network, Collection<ContainerInfo> containers) {
        Map<String, String> attached = new TreeMap<>(network.containers());
        for (ContainerInfo c : containers) {
            String ip = c.networks().get(network.name());
            if (ip != null) {
                attached.put(c.name(), ip);
            }
        }
        return new NetworkInfo(network.id(), network.name(), network.subnet(), network.labels(), attached);
    }

    public Optional<ContainerInfo> container(String name) {
        return Optional.ofNullable(containers.get(name));
    }

    public Optional<NetworkInfo> network(String name) {
        return Optional.ofNullable(networks.get(name));
    }

    /** The kind cluster's node containers (kind's cluster label), by name. */
    public List<ContainerInfo> nodes(String cluster) {
        return containers.values().stream()
                .filter(c -> cluster.equals(c.labels().get(KindExecutable.CLUSTER_LABEL)))
                .sorted(Comparator.comparing(ContainerInfo::name)).toList();
    }

    // The next snapshot after an action: what lo itself just changed.

    public MachineSnapshot withContainer(ContainerInfo container) {
        Map<String, ContainerInfo> next = new LinkedHashMap<>(containers);
        next.put(container.name(), container);
        return rebuilt(next, networks);
    }

    public MachineSnapshot withoutContainer(String name) {
        Map<String, ContainerInfo> next = new LinkedHashMap<>(containers);
        next.remove(name);
        return rebuilt(next, networks);
    }

    public MachineSnapshot withNetwork(NetworkInfo network) {
        Map<String, NetworkInfo> next = new LinkedHashMap<>(networks);
        next.put(network.name(), network);
        return rebuilt(containers, next);
    }

    public MachineSnapshot withoutNetwork(String name) {
        Map<String, NetworkInfo> next = new LinkedHashMap<>(networks);
        next.remove(name);
        return rebuilt(containers, next);
    }

    /** A volume lo created. */
    public MachineSnapshot withVolume(String volume) {
        Set<String> all = new HashSet<>(volumes);
        all.add(volume);
        Set<String> owned = new HashSet<>(ownedVolumes);
        owned.add(volume);
        return new MachineSnapshot(containers, networks, all, owned, imagePresent, certsFiles, certsIgnored, certificate);
    }

    public MachineSnapshot withoutVolume(String volume) {
        Set<String> all = new HashSet<>(volumes);
        all.remove(volume);
        Set<String> owned = new HashSet<>(ownedVolumes);
        owned.remove(volume);
        return new MachineSnapshot(containers, networks, all, owned, imagePresent, certsFiles, certsIgnored, certificate);
    }

    public MachineSnapshot withImagePresent() {
        return new MachineSnapshot(containers, networks, volumes, ownedVolumes, true, certsFiles, certsIgnored, certificate);
    }

    public MachineSnapshot withCertsFiles(Map<String, String> files) {
        return new MachineSnapshot(containers, networks, volumes, ownedVolumes, imagePresent, files, true, certificate);
    }

    public MachineSnapshot withCertificate(StoredCertificate stored) {
        return new MachineSnapshot(containers, networks, volumes, ownedVolumes, imagePresent, certsFiles, certsIgnored,
                Optional.of(stored));
    }

    private MachineSnapshot rebuilt(Map<String, ContainerInfo> byName, Map<String, NetworkInfo> byNetwork) {
        Map<String, NetworkInfo> attached = new LinkedHashMap<>();
        byNetwork.forEach((name, n) -> attached.put(name, attach(
                new NetworkInfo(n.id(), n.name(), n.subnet(), n.labels(), Map.of()), byName.values())));
        return new MachineSnapshot(byName, attached, volumes, ownedVolumes, imagePresent, certsFiles, certsIgnored, certificate);
    }
}
