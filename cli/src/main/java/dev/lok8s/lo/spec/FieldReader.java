package dev.lok8s.lo.spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads typed fields out of a YAML tree, strictly: a value of the wrong type is an error at its
 * path, never a coercion and never an exception. Every error is collected, so one pass reports
 * all of a file's problems. An absent key and an explicit null both read as "not given".
 */
final class FieldReader {

    private final Set<JsonNode> aliases;
    private final List<SpecError> errors = new ArrayList<>();

    FieldReader(Set<JsonNode> aliases) {
        this.aliases = aliases;
    }

    static String at(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String at(String parent, int index) {
        return parent + "[" + index + "]";
    }

    void error(String path, String message) {
        errors.add(new SpecError(path, message));
    }

    void addAll(List<SpecError> more) {
        errors.addAll(more);
    }

    List<SpecError> errors() {
        return List.copyOf(errors);
    }

    /** Whether the key is present with a non-null value, valid or not. */
    static boolean isGiven(JsonNode parent, String key) {
        return parent != null && parent.get(key) != null && !parent.get(key).isNull();
    }

    /** The value under key, or null when the parent is missing, the key absent, or its value null. */
    JsonNode value(JsonNode parent, String parentPath, String key) {
        JsonNode value = parent == null ? null : parent.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (aliasAt(value, at(parentPath, key))) {
            return null;
        }
        return value;
    }

    /** Whether a node (a list item, which {@link #value} does not see) is an alias; records the error. */
    boolean aliasAt(JsonNode node, String path) {
        if (node != null && aliases.contains(node)) {
            error(path, "is the YAML alias *" + node.asText() + ", which lo does not expand; write the value out here");
            return true;
        }
        return false;
    }

    /** A mapping section, or null when absent or of the wrong type (then an error is recorded). */
    JsonNode mapping(JsonNode parent, String parentPath, String key, String expected) {
        JsonNode value = value(parent, parentPath, key);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            error(at(parentPath, key), "expected a mapping (" + expected + "), got " + describe(value));
            return null;
        }
        return value;
    }

    String string(JsonNode parent, String parentPath, String key, String example) {
        JsonNode value = value(parent, parentPath, key);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            String hint = value.isNumber() || value.isBoolean() ? "; quote it if you meant the text: \"" + value.asText() + "\"" : "";
            error(at(parentPath, key), "expected a string such as " + example + ", got " + describe(value) + hint);
            return null;
        }
        if (value.asText().isBlank()) {
            error(at(parentPath, key), "is empty; expected a string such as " + example + ", or leave the key out");
            return null;
        }
        return value.asText();
    }

    Boolean bool(JsonNode parent, String parentPath, String key) {
        JsonNode value = value(parent, parentPath, key);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            error(at(parentPath, key), "expected true or false, got " + describe(value)
                    + (value.isTextual() ? " (write it unquoted: true or false)" : ""));
            return null;
        }
        return value.booleanValue();
    }

    Integer integer(JsonNode parent, String parentPath, String key, int min) {
        JsonNode value = value(parent, parentPath, key);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            error(at(parentPath, key), "expected a whole number of at least " + min + ", got " + describe(value));
            return null;
        }
        if (value.intValue() < min) {
            error(at(parentPath, key), "is " + value.intValue() + "; expected a whole number of at least " + min);
            return null;
        }
        return value.intValue();
    }

    static String describe(JsonNode value) {
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            return "the string '" + value.asText() + "'";
        }
        if (value.isIntegralNumber() && !value.canConvertToInt()) {
            return "the number " + value.asText() + ", which is too large";
        }
        if (value.isNumber()) {
            return "the number " + value.asText();
        }
        if (value.isBoolean()) {
            return "the boolean " + value.asText();
        }
        return "'" + value.asText() + "'";
    }
}
