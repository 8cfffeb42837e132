package dev.lok8s.lo.plan;

import java.util.Set;

/**
 * Label keys {@code lo} puts on every network, container and volume it creates. Labels, not
 * name prefixes, are how {@code lo} finds, owns and cleans its resources.
 */
public final class Labels {

    public static final String MANAGED_BY = "dev.lok8s.managed-by";
    public static final String ROLE = "dev.lok8s.role";
    public static final String SCOPE = "dev.lok8s.scope";
    /** Only on project-scoped resources: shared ones serve many projects. */
    public static final String PROJECT = "dev.lok8s.project";
    /** On registry containers: sha-256 of the rendered registry config, to spot drift. */
    public static final String CONFIG_HASH = "dev.lok8s.config-hash";
    /** On registry containers in TLS mode: sha-256 of the certificate they serve, to spot a re-issued one. */
    public static final String CERT_SHA256 = "dev.lok8s.cert-sha256";
    /**
     * On build and cache containers published on the host: the loopback port, as the container was created
     * with it (set with the binding, kept while the container is stopped), to spot a changed or missing one
     * and to see which project holds a port.
     */
    public static final String HOST_PORT = "dev.lok8s.host-port";
    /** On mirror containers: {@code proxy} or {@code offline} ({@link MirrorMode}); absent means proxy. */
    public static final String MIRROR_MODE = "dev.lok8s.mirror-mode";
    /**
     * On mirror containers that log in to their upstream: the login's keyed fingerprint (HMAC-SHA256
     * with this machine's key), so a changed login is noticed without the secret being anywhere.
     */
    public static final String UPSTREAM_LOGIN = "dev.lok8s.upstream-login";

    public static final String MANAGED_BY_LO = "lo";
    /** {@link #ROLE} value for networks; registries use their {@link Role}. */
    public static final String ROLE_NETWORK = "network";

    /** Keys {@code lo} sets itself; extra labels may not override them. */
    public static final Set<String> RESERVED = Set.of(MANAGED_BY, ROLE, SCOPE, PROJECT, CONFIG_HASH, HOST_PORT,
            MIRROR_MODE, UPSTREAM_LOGIN);

    private Labels() {
    }
}
