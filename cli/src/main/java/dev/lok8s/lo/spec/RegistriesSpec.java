package dev.lok8s.lo.spec;

import java.util.List;

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

    public RegistriesSpec {
        mirrors = List.copyOf(mirrors);
    }
}
