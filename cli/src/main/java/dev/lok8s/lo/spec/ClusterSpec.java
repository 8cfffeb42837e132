package dev.lok8s.lo.spec;

import java.nio.file.Path;

/**
 * A validated {@code cluster.lok8s.yaml}: only the parts {@code lo} acts on, every default
 * already applied. Unknown sections of the file are ignored by the parser.
 *
 * @param file              the file it was read from (absolute)
 * @param name              {@code metadata.name}; also the kind cluster name
 * @param domain            {@code spec.cluster.domain}, else the DOMAIN argument
 * @param slot              125 for {@code lok8s.dev}, N for {@code N.lok8s.dev}
 * @param runtime           {@code spec.runtime}, only {@code kind} for now
 * @param kubernetesVersion {@code spec.kubernetes.version}, null for kind's default
 */
public record ClusterSpec(
        Path file,
        String name,
        String domain,
        int slot,
        NetworkSpec network,
        RegistriesSpec registries,
        String runtime,
        String kubernetesVersion,
        NodesSpec nodes) {

    public static final String API_VERSION = "cluster.lok8s.dev/v1beta1";
    public static final String KIND = "Lo";
    public static final String DEFAULT_DOMAIN = "lok8s.dev";

    /**
     * A shared registry network is another network than the project's: another name, a range of its
     * own. The parser reports both as spec errors first; this holds specs built in code to the same rules.
     */
    public ClusterSpec {
        if (registries != null && registries.shared() && network != null) {
            NetworkSpec shared = registries.sharedNetwork();
            if (shared.name().equals(network.name())) {
                throw new IllegalArgumentException("the shared registry network cannot be the project network "
                        + network.name());
            }
            if (shared.cidr().overlaps(network.cidr())) {
                throw new IllegalArgumentException("shared registry network " + shared.cidr()
                        + " overlaps the project network " + network.cidr());
            }
        }
    }
}
