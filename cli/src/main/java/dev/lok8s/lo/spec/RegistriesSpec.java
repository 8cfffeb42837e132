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
 * @param buildHostPort {@code spec.registries.build.hostPort}: the loopback port build is published on; null for
 *                      the port the slot gives (see {@code plan.HostPortRule})
 * @param cacheHostPort {@code spec.registries.cache.hostPort}, likewise
 * @param prune         {@code spec.registries.prune}: the limits {@code lo registry prune} applies to the mirrors'
 *                      caches when given none of its own
 */
public record RegistriesSpec(boolean shared, NetworkSpec sharedNetwork, List<MirrorSpec> mirrors, boolean tls,
                             String image, Integer buildHostPort, Integer cacheHostPort, CacheLimits prune) {

    public static final String DEFAULT_SHARED_NETWORK = "lok8s-registries";
    public static final String DEFAULT_SHARED_CIDR = "10.125.200.0/24";
    public static final String DEFAULT_IMAGE = "registry:2.8.3";

    /** The per-project registries' names, which ship implicitly: no mirror may take one. */
    public static final Set<String> RESERVED_MIRROR_NAMES = Set.of("build", "cache");

    /** The host ports a spec may give: unprivileged, so no system service's port and no root needed. */
    public static final int MIN_HOST_PORT = 1024;
    public static final int MAX_HOST_PORT = 65535;

    /** Without host port overrides: build and cache get the ports their slot gives. */
    public RegistriesSpec(boolean shared, NetworkSpec sharedNetwork, List<MirrorSpec> mirrors, boolean tls,
                          String image) {
        this(shared, sharedNetwork, mirrors, tls, image, null, null, CacheLimits.NONE);
    }

    /** Without prune limits. */
    public RegistriesSpec(boolean shared, NetworkSpec sharedNetwork, List<MirrorSpec> mirrors, boolean tls,
                          String image, Integer buildHostPort, Integer cacheHostPort) {
        this(shared, sharedNetwork, mirrors, tls, image, buildHostPort, cacheHostPort, CacheLimits.NONE);
    }

    /** This spec with another registry image (the {@code LO_REGISTRY_IMAGE} override). */
    public RegistriesSpec withImage(String otherImage) {
        return new RegistriesSpec(shared, sharedNetwork, mirrors, tls, otherImage, buildHostPort, cacheHostPort, prune);
    }

    public static boolean hostPortInRange(int port) {
        return port >= MIN_HOST_PORT && port <= MAX_HOST_PORT;
    }

    /**
     * The mirror names are usable, not {@code build} or {@code cache}, and unique; the host ports, when given,
     * are in range and not the same: the parser reports each of these as a spec error first, so this only
     * holds specs built in code to the same rules.
     */
    public RegistriesSpec {
        mirrors = List.copyOf(mirrors);
        prune = prune == null ? CacheLimits.NONE : prune;
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
        for (Integer port : new Integer[] {buildHostPort, cacheHostPort}) {
            if (port != null && !hostPortInRange(port)) {
                throw new IllegalArgumentException("host port " + port + " is outside " + MIN_HOST_PORT + ".."
                        + MAX_HOST_PORT);
            }
        }
        if (buildHostPort != null && buildHostPort.equals(cacheHostPort)) {
            throw new IllegalArgumentException("build and cache cannot share host port " + buildHostPort);
        }
    }
}
