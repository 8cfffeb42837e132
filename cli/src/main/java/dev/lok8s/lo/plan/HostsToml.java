package dev.lok8s.lo.plan;

/**
 * Renders a containerd {@code hosts.toml} that sends pulls (and, for build and cache, pushes)
 * for one registry host to its planned IP.
 */
final class HostsToml {

    /** Where the TLS step copies mkcert's root CA inside the bind-mounted certs.d tree. */
    static final String CA_PATH = KindClusterConfig.CERTS_D + "/.ca/rootCA.pem";

    private HostsToml() {
    }

    static String render(PlannedRegistry registry, boolean tls) {
        String server = (tls ? "https" : "http") + "://" + registry.ip();
        String capabilities = registry.role() == Role.MIRROR
                ? "[\"pull\", \"resolve\"]"
                : "[\"pull\", \"resolve\", \"push\"]";
        StringBuilder toml = new StringBuilder();
        toml.append("server = \"").append(server).append("\"\n");
        if (tls) {
            // containerd falls back to the top-level server when the host answers 404 (an image that
            // does not exist): without its own ca that fallback fails with an x509 error instead of
            // "not found".
            toml.append("ca = \"").append(CA_PATH).append("\"\n");
        }
        toml.append('\n');
        toml.append("[host.\"").append(server).append("\"]\n");
        toml.append("  capabilities = ").append(capabilities).append('\n');
        if (tls) {
            toml.append("  ca = \"").append(CA_PATH).append("\"\n");
        } else {
            toml.append("  skip_verify = true\n");
        }
        return toml.toString();
    }
}
