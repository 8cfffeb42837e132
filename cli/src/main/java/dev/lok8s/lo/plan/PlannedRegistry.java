package dev.lok8s.lo.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One registry container, complete.
 *
 * @param name       {@code build}, {@code cache} or the mirror's name
 * @param container  Docker container name
 * @param network    the network it is attached to, at {@code ip}
 * @param hostname   the registry host containerd resolves to it ({@code lok8s.local}, {@code docker.io}, ...)
 * @param url        catalog URL, {@code http(s)://<ip>/v2/_catalog}
 * @param upstream   the mirror's remote URL; null for build and cache
 * @param volume     named volume mounted at {@link #DATA_DIR}
 * @param config     rendered {@code /etc/docker/registry/config.yml}
 * @param configHash sha-256 hex of {@code config}
 * @param labels     container labels
 * @param hostPort   the loopback port of the host it is published on ({@code 127.0.0.1:<hostPort>}), where
 *                   the host's {@code docker push} goes; build and cache only, null for mirrors and when
 *                   host ports are off
 */
@JsonPropertyOrder({"name", "role", "container", "network", "ip", "hostname", "url", "upstream", "volume",
        "config", "configHash", "labels", "hostPort"})
public record PlannedRegistry(String name, Role role, String container, String network, String ip, String hostname,
                              String url, String upstream, String volume, String config, String configHash,
                              Map<String, String> labels, Integer hostPort) {

    /** Not published on the host (a mirror, or host ports off). */
    public PlannedRegistry(String name, Role role, String container, String network, String ip, String hostname,
                           String url, String upstream, String volume, String config, String configHash,
                           Map<String, String> labels) {
        this(name, role, container, network, ip, hostname, url, upstream, volume, config, configHash, labels, null);
    }

    /** The address the host pushes to, {@code localhost:<hostPort>}; null when it is not published. */
    @JsonIgnore
    public String pushAddress() {
        return hostPort == null ? null : pushAddress(hostPort);
    }

    public static String pushAddress(int hostPort) {
        return "localhost:" + hostPort;
    }

    public static final String DATA_DIR = "/var/lib/registry";
    public static final String CONFIG_PATH = "/etc/docker/registry/config.yml";
    public static final String TLS_CERT_PATH = "/etc/docker/registry/tls/tls.crt";
    public static final String TLS_KEY_PATH = "/etc/docker/registry/tls/tls.key";

    public PlannedRegistry {
        labels = Ordered.copy(labels);
    }

    /** Labels for the data volume: the container's, less the config hash and host port (data outlives both). */
    @JsonIgnore
    public Map<String, String> volumeLabels() {
        Map<String, String> copy = new LinkedHashMap<>(labels);
        copy.remove(Labels.CONFIG_HASH);
        copy.remove(Labels.HOST_PORT);
        return Ordered.copy(copy);
    }

    @JsonIgnore
    public boolean isMirror() {
        return role == Role.MIRROR;
    }
}
