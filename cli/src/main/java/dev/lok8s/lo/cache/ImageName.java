package dev.lok8s.lo.cache;

import dev.lok8s.lo.spec.SafeText;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image reference split the way a registry API wants it, with Docker's defaults applied:
 * {@code nginx} is {@code docker.io/library/nginx:latest}, {@code quay.io/a/b@sha256:...} keeps its
 * digest. {@link #registry()} is the host a mirror stands in for ({@code docker.io}, {@code quay.io}).
 *
 * @param registry   registry host, with its port if it has one; docker.io for Docker Hub
 * @param repository path within the registry ({@code library/nginx})
 * @param tag        tag, or null when only a digest is given
 * @param digest     {@code sha256:<hex>}, or null
 */
public record ImageName(String registry, String repository, String tag, String digest) {

    /** Longest reference accepted (Docker's own limit on a repository name is 255). */
    public static final int MAX_LENGTH = 512;
    static final String DOCKER_HUB = "docker.io";

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?");

    /** The reference a registry is asked for: the digest when there is one, else the tag. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    /** The canonical form, {@code docker.io/library/nginx:1.27}. */
    @Override
    public String toString() {
        return registry + "/" + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    /**
     * Parses a reference as {@code docker pull} would; throws {@link IllegalArgumentException} with
     * a one-line reason naming the reference when it is not one.
     */
    public static ImageName parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an image reference is empty");
        }
        String ref = text.strip();
        if (ref.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("image reference '" + shown(ref.substring(0, 40)) + "...' is longer than "
                    + MAX_LENGTH + " characters");
        }
        String digest = null;
        int at = ref.indexOf('@');
        if (at >= 0) {
            digest = ref.substring(at + 1);
            ref = ref.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("image reference '" + shown(text) + "' has digest '" + shown(digest)
                        + "'; expected sha256: and 64 lowercase hex digits");
            }
        }
        String tag = null;
        int colon = ref.lastIndexOf(':');
        if (colon > ref.lastIndexOf('/')) { // a colon before the last slash is a registry port
            tag = ref.substring(colon + 1);
            ref = ref.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("image reference '" + shown(text) + "' has an invalid tag '" + shown(tag) + "'");
            }
        }
        String registry = DOCKER_HUB;
        String path = ref;
        int slash = ref.indexOf('/');
        if (slash > 0) {
            String first = ref.substring(0, slash);
            // Docker's rule: the first component is a registry host if it has a dot or a port, or is localhost.
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                path = ref.substring(slash + 1);
                if (!HOST.matcher(registry).matches()) {
                    throw new IllegalArgumentException("image reference '" + shown(text) + "' has an invalid registry host '"
                            + shown(registry) + "'");
                }
            }
        }
        registry = canonicalHost(registry);
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("image reference '" + shown(text) + "' has an invalid repository '" + shown(path)
                        + "' (lowercase letters, digits and . _ - between them, separated by /)");
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageName(registry, path, tag, digest);
    }

    /** Part of a reference as given, fit to quote in a message: control characters escaped, cut. */
    private static String shown(String part) {
        return SafeText.shown(part);
    }

    /** Docker Hub answers under several names; all of them are docker.io. */
    static String canonicalHost(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com" -> DOCKER_HUB;
            default -> lower;
        };
    }
}
