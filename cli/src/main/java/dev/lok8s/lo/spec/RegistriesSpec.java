package dev.lok8s.lo.spec;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code spec.registries}.
 *
 * @param shared        whether the pull-through mirrors live on the shared network
 * @param sharedNetwork the shared network; kept even when {@code shared} is false (it is then ignored)
 * @param mirrors       the mirrors in file order (the four standard ones when the file lists none)
 * @param tls           serve every registry over HTTPS on :443
 * @param image         the registry image, {@code spec.registries.image}, default {@code registry:2.8.3}
 */
public record RegistriesSpec(boolean shared, NetworkSpec sharedNetwork, List<MirrorSpec> mirrors, boolean tls,
                             String image) {

    public static final String DEFAULT_SHARED_NETWORK = "lok8s-registries";
    public static final String DEFAULT_SHARED_CIDR = "10.125.200.0/24";
    public static final String DEFAULT_IMAGE = "registry:2.8.3";

    /** The per-project registries' names, which ship implicitly: no mirror may take one. */
    public static final Set<String> RESERVED_MIRROR_NAMES = Set.of("build", "cache");

    /**
     * The mirror names are usable, not {@code build} or {@code cache}, and unique: the parser reports
     * each of these as a spec error first, so this only holds specs built in code to the same rules.
     */
    public RegistriesSpec {
        mirrors = List.copyOf(mirrors);
        Set<String> seen = new HashSet<>();
        for (MirrorSpec mirror : mirrors) {
            String name = mirror.name();
            if (name == null || !SpecParser.NETWORK_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("mirror name '" + name + "' is not usable in a container name");
            }
            if (RESERVED_MIRROR_NAMES.contains(name)) {
                throw new IllegalArgumentException("mirror name '" + name
                        + "' is reserved (build and cache ship implicitly)");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("mirror name '" + name + "' is listed twice");
            }
        }
    }
}
