package dev.lok8s.lo.docker;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The Docker host when nothing but {@code DOCKER_HOST} (or its default socket) can decide it, found
 * without docker-java's configuration loader. That loader (its properties files, its own JSON mapper
 * for {@code config.json}, the docker contexts) costs about a tenth of a second of CPU in every process,
 * while a command that only reads the engine needs the socket's address alone.
 * <p>Empty whenever docker-java would read anything more: one of its settings given as a system
 * property, a {@code ~/.docker-java.properties}, a docker context ({@code DOCKER_CONTEXT}, or
 * {@code currentContext} in {@code config.json} when {@code DOCKER_HOST} is unset), a
 * {@code config.json} too large to look into, or a host that is not a unix socket (TLS settings then
 * matter). The caller then uses docker-java's loader, as before.
 */
final class PlainDockerHost {

    static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    /** A config.json is a few KiB; a larger one is left to docker-java. */
    static final int MAX_CONFIG_BYTES = 1 << 20;
    /** The settings docker-java reads from system properties and its properties files. */
    static final List<String> DOCKER_JAVA_KEYS = List.of("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CONFIG",
            "DOCKER_CERT_PATH", "DOCKER_CONTEXT", "api.version", "registry.username", "registry.password",
            "registry.email", "registry.url");

    private PlainDockerHost() {
    }

    /** This process's environment, system properties and home directory. */
    static Optional<URI> ofThisProcess() {
        return of(System.getenv(), System.getProperties(), Path.of(System.getProperty("user.home")));
    }

    static Optional<URI> of(Map<String, String> env, Properties system, Path home) {
        for (String key : DOCKER_JAVA_KEYS) {
            if (system.getProperty(key) != null) {
                return Optional.empty();
            }
        }
        if (Files.exists(home.resolve(".docker-java.properties")) || !blank(env.get("DOCKER_CONTEXT"))) {
            return Optional.empty();
        }
        String host = env.get("DOCKER_HOST");
        if (blank(host)) {
            String dir = env.get("DOCKER_CONFIG");
            Path config = (blank(dir) ? home.resolve(".docker") : Path.of(dir)).resolve("config.json");
            if (mayNameAContext(config)) {
                return Optional.empty();
            }
            host = DEFAULT_HOST;
        }
        URI uri;
        try {
            uri = URI.create(host.trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();  // docker-java's loader says what is wrong with it
        }
        return "unix".equals(uri.getScheme()) && uri.getPath() != null && !uri.getPath().isEmpty()
                ? Optional.of(uri) : Optional.empty();
    }

    /** Whether the file may hold a current context: it does, it cannot be read, or it is too large to look. */
    static boolean mayNameAContext(Path config) {
        if (!Files.exists(config)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(config)) {
            byte[] bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
            return bytes.length > MAX_CONFIG_BYTES
                    || new String(bytes, StandardCharsets.UTF_8).contains("\"currentContext\"");
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
