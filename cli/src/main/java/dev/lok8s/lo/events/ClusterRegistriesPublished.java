package dev.lok8s.lo.events;

import java.util.List;

/**
 * The cluster was told where its registries are: the ConfigMaps {@code kube-public/local-registry-hosting}
 * (KEP-1755) and {@code kube-system/lok8s-registries} were created or updated.
 *
 * @param configMaps {@code namespace/name} of each ConfigMap written (the ones already right are left out)
 * @param dataHash   sha-256 over the desired data of both, to tell one publication from another
 */
public record ClusterRegistriesPublished(String domain, String project, String cluster, List<String> configMaps,
                                         String dataHash) implements LoEvent {
}
