package dev.lok8s.lo.plan;

/**
 * Renders a distribution 2.x {@code config.yml} (the {@code registry:2} image format). Written
 * by hand, field by field, so the text, and so its hash, is byte-stable.
 */
public final class RegistryConfigYaml {

    private RegistryConfigYaml() {
    }

    /** @param upstream the mirror's remote URL, or null for a registry that takes pushes */
    static String render(boolean tls, String upstream) {
        return render(tls, upstream, MirrorMode.PROXY, null, null);
    }

    /**
     * The config a mirror container runs with: the plan's, or, offline, the same storage served
     * read-only without the proxy; with a login, the proxy's {@code username}/{@code password}.
     * This text holds the secret: it goes into the container as a file and nowhere else (the plan,
     * its hash and the events keep the anonymous config).
     */
    public static String mirror(PlannedRegistry registry, boolean tls, MirrorMode mode, String username,
                                String password) {
        if (!registry.isMirror()) {
            throw new IllegalArgumentException(registry.container() + " is not a mirror");
        }
        return render(tls, registry.upstream(), mode, username, password);
    }

    private static String render(boolean tls, String upstream, MirrorMode mode, String username, String password) {
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
        if (upstream != null && mode == MirrorMode.OFFLINE) {
            yaml.append("  maintenance:\n");
            yaml.append("    readonly:\n");
            yaml.append("      enabled: true\n");
        }
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
        if (upstream != null && mode == MirrorMode.PROXY) {
            yaml.append("proxy:\n");
            yaml.append("  remoteurl: ").append(upstream).append('\n');
            if (username != null && password != null) {
                yaml.append("  username: ").append(quoted(username)).append('\n');
                yaml.append("  password: ").append(quoted(password)).append('\n');
            }
        }
        return yaml.toString();
    }

    /** A YAML double-quoted scalar: any text, escaped so it reads back unchanged. */
    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 || cp == 0x2029
                            || cp == 0xfeff) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        });
        return out.append('"').toString();
    }
}
