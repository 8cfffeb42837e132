package dev.lok8s.lo.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One YAML document as a Jackson tree, built token by token rather than with
 * {@code ObjectMapper.readTree} so that the YAML 1.1 surprises Jackson would hide can be caught:
 * an alias ({@code *x}) arrives as the plain text {@code x}, {@code yes}/{@code on} as booleans,
 * {@code 010} as 8. Here an alias is remembered (so a field that lo reads can refuse it), and
 * booleans and integers in any spelling but the plain one stay text, which strict field reading
 * then rejects with the spelling the user wrote. Duplicate keys are reported with their lines.
 *
 * @param root          the document; null when the input holds no document at all
 * @param aliases       the nodes that stand for an alias, by identity
 * @param duplicateKeys one error per repeated key
 */
record YamlTree(JsonNode root, Set<JsonNode> aliases, List<SpecError> duplicateKeys) {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> PLAIN_BOOLEANS = Set.of("true", "True", "TRUE", "false", "False", "FALSE");
    private static final Pattern PLAIN_INTEGER = Pattern.compile("[-+]?(0|[1-9][0-9]*)");

    /** A file that is not YAML, or holds more than one document. */
    static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message);
        }
    }

    static YamlTree read(byte[] content) throws SyntaxException {
        Set<JsonNode> aliases = Collections.newSetFromMap(new IdentityHashMap<>());
        List<SpecError> duplicates = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.createParser(content)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlTree(null, aliases, duplicates);
            }
            JsonNode root = value(parser, "", aliases, duplicates);
            JsonToken next = parser.nextToken();
            while (next == JsonToken.VALUE_NULL) {
                next = parser.nextToken(); // a trailing '---' with nothing after it is harmless
            }
            if (next != null) {
                throw new SyntaxException("holds a second YAML document, starting at line "
                        + parser.currentTokenLocation().getLineNr()
                        + "; a cluster.lok8s.yaml holds exactly one document (remove the '---' before it)");
            }
            return new YamlTree(root, aliases, duplicates);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            String at = where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
            throw new SyntaxException("is not valid YAML" + at + ": " + firstSentence(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SyntaxException("cannot be read as YAML: " + oneLine(e.getMessage()));
        }
    }

    private static JsonNode value(YAMLParser parser, String path, Set<JsonNode> aliases,
                                  List<SpecError> duplicates) throws IOException {
        JsonToken token = parser.currentToken();
        String text = token.isScalarValue() ? parser.getText() : null;
        return switch (token) {
            case START_OBJECT -> mapping(parser, path, aliases, duplicates);
            case START_ARRAY -> list(parser, path, aliases, duplicates);
            case VALUE_STRING -> {
                JsonNode node = NODES.textNode(text);
                if (parser.isCurrentAlias()) {
                    aliases.add(node);
                }
                yield node;
            }
            case VALUE_TRUE, VALUE_FALSE ->
                    PLAIN_BOOLEANS.contains(text) ? NODES.booleanNode(token == JsonToken.VALUE_TRUE) : NODES.textNode(text);
            case VALUE_NUMBER_INT -> PLAIN_INTEGER.matcher(text).matches() ? integer(parser) : NODES.textNode(text);
            case VALUE_NUMBER_FLOAT -> decimal(parser, text);
            case VALUE_NULL -> NODES.nullNode();
            default -> NODES.textNode(text == null ? "" : text);
        };
    }

    private static JsonNode integer(YAMLParser parser) throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
        };
    }

    private static JsonNode decimal(YAMLParser parser, String text) {
        try {
            return NODES.numberNode(parser.getDoubleValue());
        } catch (IOException | RuntimeException e) {
            // .inf, .nan and the like: not a number lo reads anywhere, so keep the text
            return NODES.textNode(text);
        }
    }

    private static ObjectNode mapping(YAMLParser parser, String path, Set<JsonNode> aliases,
                                      List<SpecError> duplicates) throws IOException {
        ObjectNode node = NODES.objectNode();
        Map<String, Integer> lines = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int line = parser.currentTokenLocation().getLineNr();
            String keyPath = path.isEmpty() ? key : path + "." + key;
            parser.nextToken();
            JsonNode child = value(parser, keyPath, aliases, duplicates);
            Integer firstLine = lines.putIfAbsent(key, line);
            if (firstLine != null) {
                duplicates.add(new SpecError(keyPath, "key '" + key + "' appears again at line " + line
                        + " (first at line " + firstLine + "); keep only one"));
            } else {
                node.set(key, child);
            }
        }
        return node;
    }

    private static ArrayNode list(YAMLParser parser, String path, Set<JsonNode> aliases,
                                  List<SpecError> duplicates) throws IOException {
        ArrayNode node = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            node.add(value(parser, path + "[" + node.size() + "]", aliases, duplicates));
        }
        return node;
    }

    /** SnakeYAML's messages span lines with a caret drawing; the first line says what is wrong. */
    private static String firstSentence(String message) {
        if (message == null || message.isBlank()) {
            return "unreadable input";
        }
        String[] lines = message.strip().split("\\R");
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("in 'reader'") || trimmed.equals("^")
                    || line.startsWith("    ")) {
                continue;
            }
            kept.add(trimmed);
        }
        return oneLine(String.join(" ", kept));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").strip();
    }
}
