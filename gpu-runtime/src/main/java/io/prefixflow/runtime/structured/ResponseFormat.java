package io.prefixflow.runtime.structured;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What shape a completion must have. The JSON form, shared by the CLI and prompts files (and mirrored by the
 * Avro {@code ResponseFormat} record):
 *
 * <pre>{@code
 * {"type": "json_object"}
 * {"type": "json_schema", "json_schema": {...}}  (or "schema"; an object, or a string holding JSON)
 * {"type": "choice", "choices": ["sunny", "rainy"]}
 * {"type": "regex", "pattern": "[A-Z]{3}-\\d{4}"}
 * }</pre>
 *
 * @param type    which kind of constraint
 * @param schema  for {@link Type#JSON_SCHEMA}: the JSON Schema as JSON text; otherwise null
 * @param choices for {@link Type#CHOICE}: the allowed outputs, at least one, none empty; otherwise null
 * @param pattern for {@link Type#REGEX}: the pattern the whole output must match; otherwise null
 */
public record ResponseFormat(Type type, String schema, List<String> choices, String pattern) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The kinds of constraint; {@link #wireName()} is the name in JSON. */
    public enum Type {
        /** Any JSON object (nesting bounded, see {@link JsonSchemaCompiler#GENERIC_DEPTH}). */
        JSON_OBJECT,
        /** JSON valid against a schema of the supported subset ({@link JsonSchemaCompiler}). */
        JSON_SCHEMA,
        /** Exactly one of a list of strings. */
        CHOICE,
        /** Text matching a regular expression of the supported subset ({@link RegexParser}). */
        REGEX;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ResponseFormat {
        if (type == null) {
            throw new UnsupportedFormatException("response_format needs a type (json_object, json_schema, choice,"
                    + " regex)");
        }
        if ((type == Type.JSON_SCHEMA) != (schema != null)) {
            throw new UnsupportedFormatException("response_format " + type.wireName()
                    + (schema == null ? " needs a 'json_schema'" : " takes no 'json_schema'"));
        }
        if ((type == Type.CHOICE) != (choices != null)) {
            throw new UnsupportedFormatException("response_format " + type.wireName()
                    + (choices == null ? " needs 'choices'" : " takes no 'choices'"));
        }
        if ((type == Type.REGEX) != (pattern != null)) {
            throw new UnsupportedFormatException("response_format " + type.wireName()
                    + (pattern == null ? " needs a 'pattern'" : " takes no 'pattern'"));
        }
        if (choices != null) {
            choices = List.copyOf(choices);
            if (choices.isEmpty() || choices.stream().anyMatch(String::isEmpty)) {
                throw new UnsupportedFormatException("response_format choice needs at least one choice, none empty");
            }
        }
    }

    public static ResponseFormat jsonObject() {
        return new ResponseFormat(Type.JSON_OBJECT, null, null, null);
    }

    public static ResponseFormat jsonSchema(String schemaJson) {
        return new ResponseFormat(Type.JSON_SCHEMA, schemaJson, null, null);
    }

    public static ResponseFormat choice(List<String> choices) {
        return new ResponseFormat(Type.CHOICE, null, choices, null);
    }

    public static ResponseFormat regex(String pattern) {
        return new ResponseFormat(Type.REGEX, null, null, pattern);
    }

    /** Parses the JSON form (see the class comment); a malformed one names what is wrong. */
    public static ResponseFormat fromJson(String json) {
        try {
            return fromJson(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new UnsupportedFormatException("response_format is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Parses the JSON form from a parsed node. */
    public static ResponseFormat fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new UnsupportedFormatException("response_format must be a JSON object with a \"type\"");
        }
        String typeName = node.path("type").asText("");
        Type type;
        try {
            type = Type.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnsupportedFormatException("response_format type '" + typeName
                    + "' is not supported (json_object, json_schema, choice, regex)");
        }
        if (node.has("json_schema") && node.has("schema")) {
            throw new UnsupportedFormatException("response_format has both 'json_schema' and 'schema'; give one");
        }
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!List.of("type", "json_schema", "schema", "choices", "pattern").contains(key)) {
                throw new UnsupportedFormatException("response_format key '" + key + "' is not known (type,"
                        + " json_schema or schema, choices, pattern)");
            }
        }
        String schema = null;
        JsonNode schemaNode = node.has("json_schema") ? node.get("json_schema") : node.get("schema");
        if (schemaNode != null && !schemaNode.isNull()) {
            schema = schemaNode.isTextual() ? schemaNode.textValue() : schemaNode.toString();
        }
        List<String> choices = null;
        JsonNode choicesNode = node.get("choices");
        if (choicesNode != null && !choicesNode.isNull()) {
            if (!choicesNode.isArray()) {
                throw new UnsupportedFormatException("response_format 'choices' must be an array of strings");
            }
            choices = new ArrayList<>();
            for (JsonNode c : choicesNode) {
                choices.add(c.asText());
            }
        }
        JsonNode patternNode = node.get("pattern");
        String pattern = patternNode == null || patternNode.isNull() ? null : patternNode.asText();
        return new ResponseFormat(type, schema, choices, pattern);
    }

    /** Compiles the format to its byte automaton; an unsupported feature is an {@link UnsupportedFormatException}. */
    public ByteDfa compile() {
        ByteRegex regex = switch (type) {
            case JSON_OBJECT -> JsonGrammar.anyObject(JsonSchemaCompiler.GENERIC_DEPTH);
            case JSON_SCHEMA -> JsonSchemaCompiler.compile(schema);
            case CHOICE -> ByteRegex.alt(choices.stream().map(ByteRegex::literal).toList());
            case REGEX -> RegexParser.parse(pattern);
        };
        return ByteDfa.compile(regex);
    }
}
