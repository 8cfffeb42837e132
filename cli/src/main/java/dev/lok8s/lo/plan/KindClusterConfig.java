package dev.lok8s.lo.plan;

import dev.lok8s.lo.spec.NodesSpec;

import java.util.regex.Pattern;

/**
 * Renders the kind {@code Cluster} config: containerd reads registry hosts from certs.d, and
 * every node bind-mounts the planned certs.d tree there. Networking is left to kind.
 */
final class KindClusterConfig {

    static final String CERTS_D = "/etc/containerd/certs.d";
    static final String NODE_IMAGE = "kindest/node";

    private static final Pattern PLAIN_SCALAR = Pattern.compile("[A-Za-z0-9_./+-]([A-Za-z0-9_./@+:-]*[A-Za-z0-9_./+-])?");

    private KindClusterConfig() {
    }

    /** @param kubernetesVersion {@code 1.31.0} or {@code v1.31.0}; null for kind's default node image */
    static String render(String clusterName, NodesSpec nodes, String kubernetesVersion, String certsDir) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("kind: Cluster\n");
        yaml.append("apiVersion: kind.x-k8s.io/v1alpha4\n");
        yaml.append("name: ").append(scalar(clusterName)).append('\n');
        yaml.append("containerdConfigPatches:\n");
        yaml.append("  - |-\n");
        yaml.append("    [plugins.\"io.containerd.grpc.v1.cri\".registry]\n");
        yaml.append("      config_path = \"").append(CERTS_D).append("\"\n");
        yaml.append("nodes:\n");
        for (int i = 0; i < nodes.controlPlane(); i++) {
            node(yaml, "control-plane", kubernetesVersion, certsDir);
        }
        for (int i = 0; i < nodes.workers(); i++) {
            node(yaml, "worker", kubernetesVersion, certsDir);
        }
        return yaml.toString();
    }

    static String nodeImage(String kubernetesVersion) {
        String version = kubernetesVersion.startsWith("v") ? kubernetesVersion.substring(1) : kubernetesVersion;
        return NODE_IMAGE + ":v" + version;
    }

    private static void node(StringBuilder yaml, String role, String kubernetesVersion, String certsDir) {
        yaml.append("  - role: ").append(role).append('\n');
        if (kubernetesVersion != null && !kubernetesVersion.isBlank()) {
            yaml.append("    image: ").append(scalar(nodeImage(kubernetesVersion))).append('\n');
        }
        yaml.append("    extraMounts:\n");
        yaml.append("      - hostPath: ").append(scalar(certsDir)).append('\n');
        yaml.append("        containerPath: ").append(CERTS_D).append('\n');
        yaml.append("        readOnly: true\n");
    }

    /** Plain when safe, else a double-quoted YAML string (paths may hold spaces, colons or '#'). */
    static String scalar(String value) {
        if (PLAIN_SCALAR.matcher(value).matches()) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
