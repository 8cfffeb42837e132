package dev.lok8s.lo.plan;

/**
 * Renders a distribution 2.x {@code config.yml} (the {@code registry:2} image format). Written
 * by hand, field by field, so the text, and so its hash, is byte-stable.
 */
final class RegistryConfigYaml {

    private RegistryConfigYaml() {
    }

    /** @param upstream the mirror's remote URL, or null for a registry that takes pushes */
    static String render(boolean tls, String upstream) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("version: 0.1\n");
        yaml.append("log:\n");
        yaml.append("  level: info\n");
        yaml.append("storage:\n");
        yaml.append("  filesystem:\n");
        yaml.append("    rootdirectory: ").append(PlannedRegistry.DATA_DIR).append('\n');
        yaml.append("  delete:\n");
        yaml.append("    enabled: true\n");
        yaml.append("  cache:\n");
        yaml.append("    blobdescriptor: inmemory\n");
        yaml.append("http:\n");
        yaml.append("  addr: :").append(tls ? 443 : 80).append('\n');
        if (tls) {
            yaml.append("  tls:\n");
            yaml.append("    certificate: ").append(PlannedRegistry.TLS_CERT_PATH).append('\n');
            yaml.append("    key: ").append(PlannedRegistry.TLS_KEY_PATH).append('\n');
        }
        yaml.append("  headers:\n");
        yaml.append("    X-Content-Type-Options: [nosniff]\n");
        yaml.append("health:\n");
        yaml.append("  storagedriver:\n");
        yaml.append("    enabled: true\n");
        yaml.append("    interval: 10s\n");
        yaml.append("    threshold: 3\n");
        if (upstream != null) {
            yaml.append("proxy:\n");
            yaml.append("  remoteurl: ").append(upstream).append('\n');
        }
        return yaml.toString();
    }
}
