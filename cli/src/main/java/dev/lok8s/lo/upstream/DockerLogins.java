package dev.lok8s.lo.upstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the Docker client keeps a registry's login, and the pure lookup in its {@code config.json},
 * following the docker CLI's rules: the file is {@code $DOCKER_CONFIG/config.json} (default
 * {@code ~/.docker/config.json}); a registry's key is the {@code host[:port]} of its address, Docker
 * Hub's is {@code https://index.docker.io/v1/}; {@code credHelpers[key]} names the helper for that
 * key, else {@code credsStore} the helper for every key, else {@code auths[key]} holds the login
 * ({@code auth}: base64 of {@code user:password}; {@code identitytoken}: an OAuth refresh token). An
 * {@code auths} key written with a scheme or a path ({@code https://host/v1/}) matches its host.
 */
public final class DockerLogins {

    /** The key {@code docker login} (no server) stores Docker Hub's login under. */
    public static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";
    /** Hosts that are Docker Hub's registry API. */
    static final Set<String> DOCKER_HUB_HOSTS = Set.of("registry-1.docker.io", "index.docker.io", "docker.io",
            "registry.hub.docker.com");
    /** A config.json is a few KiB; a larger one is not read. */
    static final int MAX_CONFIG_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerLogins() {
    }

    /** What the configuration says about one key. */
    public sealed interface Found {
        /** The key under which it was looked up. */
        String server();
    }

    /** No login: pull anonymously. */
    public record Nothing(String server) implements Found {
    }

    /** A user name and password (or access token) stored in {@code auths}. */
    public record Stored(String server, UpstreamLogin login) implements Found {
    }

    /** An identity token (SSO/OAuth login): a distribution mirror cannot use one. */
    public record IdentityToken(String server) implements Found {
    }

    /** Ask {@code docker-credential-<helper> get}. */
    public record Helper(String server, String helper) implements Found {
    }

    /** The configuration cannot be read; {@code why} names the file and the fault, never a value. */
    public record Unreadable(String server, String why) implements Found {
    }

    /** The Docker client's configuration file for this environment. */
    public static Path configFile(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir, "config.json");
        }
        String home = env.get("HOME");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".docker", "config.json");
    }

    /** The key Docker keeps the login for a registry URL under. */
    public static String serverKey(String registryUrl) {
        URI uri = URI.create(registryUrl);
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + registryUrl);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (DOCKER_HUB_HOSTS.contains(host)) {
            return DOCKER_HUB_KEY;
        }
        return uri.getPort() == -1 ? host : host + ":" + uri.getPort();
    }

    /** docker's reading of an {@code auths} key: without scheme, and up to the first {@code /}. */
    static String hostOf(String key) {
        String rest = key;
        if (rest.startsWith("http://")) {
            rest = rest.substring("http://".length());
        } else if (rest.startsWith("https://")) {
            rest = rest.substring("https://".length());
        }
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /**
     * The login for {@code server} in the text of a {@code config.json}; {@code null} text (no file)
     * is no login. Pure.
     */
    public static Found lookup(String configJson, String file, String server) {
        if (configJson == null || configJson.isBlank()) {
            return new Nothing(server);
        }
        JsonNode root;
        try {
            root = JSON.readTree(configJson);
        } catch (JsonProcessingException e) {
            return new Unreadable(server, file + " is not JSON (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject()) {
            return new Unreadable(server, file + " does not hold a JSON object");
        }
        JsonNode helpers = root.get("credHelpers");
        if (helpers != null && helpers.isObject() && helpers.get(server) != null) {
            return helper(server, helpers.get(server), file, "credHelpers");
        }
        JsonNode store = root.get("credsStore");
        if (store != null && !store.isNull() && !(store.isTextual() && store.asText().isEmpty())) {
            return helper(server, store, file, "credsStore");
        }
        JsonNode auths = root.get("auths");
        if (auths == null || !auths.isObject()) {
            return new Nothing(server);
        }
        JsonNode entry = auths.get(server);
        if (entry == null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> candidate = it.next();
                if (server.equals(hostOf(candidate.getKey()))) {
                    entry = candidate.getValue();
                    break;
                }
            }
        }
        if (entry == null || !entry.isObject()) {
            return new Nothing(server);
        }
        return stored(server, entry, file);
    }

    private static Found helper(String server, JsonNode name, String file, String field) {
        String helper = name.isTextual() ? name.asText() : "";
        if (!CredentialHelper.validName(helper)) {
            return new Unreadable(server, file + ": " + field + " for " + server
                    + " is not a credential helper name (letters, digits, '.', '_', '-')");
        }
        return new Helper(server, helper);
    }

    private static Found stored(String server, JsonNode entry, String file) {
        String token = text(entry.get("identitytoken"));
        if (!token.isEmpty()) {
            return new IdentityToken(server);
        }
        String user = text(entry.get("username"));
        String password = text(entry.get("password"));
        String auth = text(entry.get("auth"));
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return new Unreadable(server, file + ": auths." + server + ".auth is not base64");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0 || colon == decoded.length() - 1) {
                return new Unreadable(server, file + ": auths." + server + ".auth is not base64 of user:password");
            }
            user = decoded.substring(0, colon);
            password = decoded.substring(colon + 1);
        }
        if (user.isEmpty() || password.isEmpty()) {
            return new Nothing(server);
        }
        try {
            return new Stored(server, new UpstreamLogin(server, user, password));
        } catch (IllegalArgumentException e) {
            return new Unreadable(server, file + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() ? "" : node.asText();
    }
}
