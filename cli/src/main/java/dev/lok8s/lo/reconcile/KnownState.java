package dev.lok8s.lo.reconcile;

import java.util.Map;
import java.util.Set;

/**
 * What the event log already knows about the machine, read once before a run: enough to tell
 * "adopted" (exists, but the log has not recorded it for this project) from "unchanged".
 *
 * @param networkUsers network name to the projects recorded as using it
 * @param registries   containers the log records as started and not removed
 * @param clusters     kind clusters the log records as created and not deleted
 * @param clusterKinds cluster name to the kind executable that created it, where the log records one
 * @param publishedRegistries cluster name to the data hash of the registry ConfigMaps last published into it
 */
public record KnownState(Map<String, Set<String>> networkUsers, Set<String> registries, Set<String> clusters,
                         Map<String, String> clusterKinds, Map<String, String> publishedRegistries) {

    public static final KnownState EMPTY = new KnownState(Map.of(), Set.of(), Set.of(), Map.of(), Map.of());

    public KnownState {
        networkUsers = Map.copyOf(networkUsers);
        registries = Set.copyOf(registries);
        clusters = Set.copyOf(clusters);
        clusterKinds = Map.copyOf(clusterKinds);
        publishedRegistries = Map.copyOf(publishedRegistries);
    }

    public KnownState(Map<String, Set<String>> networkUsers, Set<String> registries, Set<String> clusters,
                      Map<String, String> clusterKinds) {
        this(networkUsers, registries, clusters, clusterKinds, Map.of());
    }

    public KnownState(Map<String, Set<String>> networkUsers, Set<String> registries, Set<String> clusters) {
        this(networkUsers, registries, clusters, Map.of());
    }

    public boolean networkUsedBy(String network, String project) {
        return networkUsers.getOrDefault(network, Set.of()).contains(project);
    }
}
