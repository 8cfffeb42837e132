package dev.lok8s.lo.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's read answers (lists and inspections) as JSON trees: what lo reads of them is a few
 * fields, and docker-java's model would build a reflective Jackson deserializer for every type of
 * every answer, in every process (a tenth of a re-run's CPU). The requests go through docker-java's
 * own transport ({@link DockerEngine}); this class holds the pure parts: paths, filters, bodies.
 */
final class EngineQuery {

    /** An answer larger than this is not read (a list of thousands of containers is a few MB). */
    static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineQuery() {
    }

    /** {@code path?filters=...} with Docker's filter JSON ({@code {"label":["k=v"]}}), or the path alone. */
    static String withFilters(String path, Map<String, List<String>> filters) {
        if (filters.isEmpty()) {
            return path;
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        new TreeMap<>(filters).forEach((key, values) -> {
            var array = json.putArray(key);
            values.forEach(array::add);
        });
        return path + (path.contains("?") ? "&" : "?") + "filters=" + URLEncoder.encode(json.toString(), StandardCharsets.UTF_8);
    }

    /** A name or id as one path segment of the API (an image reference keeps its slashes: the engine's route takes them). */
    static String segment(String nameOrId, boolean slashes) {
        String encoded = URLEncoder.encode(nameOrId, StandardCharsets.UTF_8).replace("+", "%20");
        return slashes ? encoded.replace("%2F", "/") : encoded;
    }

    static JsonNode tree(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the engine's answer is not JSON: " + e.getMessage(), e);
        }
    }

    /** The engine's {@code {"message": "..."}} of an error answer, else the start of the body. */
    static String errorMessage(byte[] body) {
        try {
            JsonNode message = JSON.readTree(body).path("message");
            if (message.isTextual()) {
                return message.asText().strip().replaceAll("\\s*\\R\\s*", " ");
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the text itself
        }
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? "(no message)" : text.replaceAll("\\s*\\R\\s*", " ");
    }

    /** A JSON object of strings (labels) as a map; absent or null is empty. */
    static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        if (object != null && object.isObject()) {
            object.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        }
        return out;
    }

    /** A text field, or null when absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
