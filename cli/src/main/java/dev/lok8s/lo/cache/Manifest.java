package dev.lok8s.lo.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lok8s.lo.events.BoundedText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest as a registry serves it, reduced to what warming needs: an index (manifest list)
 * names per-platform manifests; an image manifest names its config and layer blobs.
 */
public sealed interface Manifest {

    String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** What lo asks a registry for, most specific first. */
    String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    /** A manifest or blob by digest, with its size and, for index entries, its platform. */
    record Descriptor(String mediaType, String digest, long size, String platform) {
    }

    record Index(List<Descriptor> manifests) implements Manifest {
        public Index {
            manifests = List.copyOf(manifests);
        }

        /** The entries for {@code platform} ({@code os/arch[/variant]}); every entry when it is null. */
        public List<Descriptor> select(String platform) {
            if (platform == null) {
                return manifests;
            }
            return manifests.stream().filter(d -> d.platform() != null
                    && (d.platform().equals(platform) || d.platform().startsWith(platform + "/"))).toList();
        }
    }

    record Image(Descriptor config, List<Descriptor> layers) implements Manifest {
        public Image {
            layers = List.copyOf(layers);
        }

        /** Config then layers: every blob a node would fetch. */
        public List<Descriptor> blobs() {
            List<Descriptor> all = new ArrayList<>();
            all.add(config);
            all.addAll(layers);
            return all;
        }

        public long blobBytes() {
            return blobs().stream().mapToLong(Descriptor::size).sum();
        }
    }

    ObjectMapper JSON = new ObjectMapper();
    /** The largest blob or manifest size a descriptor may declare (1 TiB): a size is how much lo will read. */
    long MAX_BLOB_BYTES = 1L << 40;

    /**
     * Parses a manifest body; {@code contentType} is the registry's Content-Type header, used when the
     * body does not say. Throws {@link IllegalArgumentException} for what lo cannot warm (schema 1).
     */
    static Manifest parse(String contentType, byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the manifest is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the manifest is not a JSON object");
        }
        String type = root.path("mediaType").asText("");
        if (type.isEmpty() && contentType != null) {
            String header = contentType.split(";")[0].strip();
            // a generic header (application/json, octet-stream) says nothing: fall back on the fields
            type = header.startsWith("application/vnd.") ? header : "";
        }
        if (type.isEmpty()) {
            // OCI allows leaving mediaType out: an index has "manifests", an image "config"
            type = root.has("manifests") ? OCI_INDEX : root.has("config") ? OCI_MANIFEST : "";
        }
        return switch (type) {
            case OCI_INDEX, DOCKER_LIST -> {
                List<Descriptor> children = new ArrayList<>();
                for (JsonNode m : root.path("manifests")) {
                    children.add(descriptor(m, platform(m.path("platform"))));
                }
                yield new Index(children);
            }
            case OCI_MANIFEST, DOCKER_MANIFEST -> {
                if (!root.path("config").isObject()) {
                    throw new IllegalArgumentException("the image manifest has no config");
                }
                List<Descriptor> layers = new ArrayList<>();
                for (JsonNode layer : root.path("layers")) {
                    if (layer.has("urls")) {
                        continue; // a foreign layer: nodes fetch it from its URL, not from a registry
                    }
                    layers.add(descriptor(layer, null));
                }
                yield new Image(descriptor(root.path("config"), null), layers);
            }
            default -> throw new IllegalArgumentException("manifest type '" + type + "' is not supported (lo warms "
                    + "OCI and Docker schema 2 images and indexes)");
        };
    }

    private static Descriptor descriptor(JsonNode node, String platform) {
        String digest = node.path("digest").asText(null);
        if (digest == null || !digest.matches("sha256:[a-f0-9]{64}")) {
            throw new IllegalArgumentException("the manifest names a blob without a sha256 digest: " + digest);
        }
        JsonNode size = node.path("size");
        if (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0 || size.asLong() > MAX_BLOB_BYTES) {
            throw new IllegalArgumentException("the manifest gives " + digest + " the size "
                    + BoundedText.cut(size.toString(), 40) + ", not a number of bytes from 0 to " + MAX_BLOB_BYTES);
        }
        return new Descriptor(node.path("mediaType").asText(null), digest, size.asLong(), platform);
    }

    private static String platform(JsonNode p) {
        if (!p.isObject()) {
            return null;
        }
        String os = p.path("os").asText("");
        String arch = p.path("architecture").asText("");
        String variant = p.path("variant").asText("");
        return os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
    }
}
