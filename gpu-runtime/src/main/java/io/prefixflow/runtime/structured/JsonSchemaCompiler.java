package io.prefixflow.runtime.structured;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the supported JSON Schema subset to a byte regex of the compact JSON texts it emits.
 *
 * <p>Supported: {@code type} (one name or a list), {@code object} with {@code properties}, {@code required}
 * and {@code additionalProperties} (false or true: only declared properties are ever emitted), {@code array}
 * with {@code items}, {@code minItems}, {@code maxItems}; {@code string} with {@code minLength},
 * {@code maxLength} or {@code pattern} (not both); {@code integer} and {@code number} with {@code minimum}
 * and {@code maximum}; {@code boolean}; {@code null}; {@code enum}; {@code const}; {@code anyOf}; nesting;
 * annotations ({@code title}, {@code description}, {@code default}, {@code examples}, {@code $schema},
 * {@code $id}, {@code $comment}) are ignored. Any other keyword is an {@link UnsupportedFormatException}
 * naming it and its location.
 *
 * <p>NOTE: the emitted language is a subset of the schema's, chosen so outputs stay short:
 * <ul>
 *   <li>properties come in declared order; required ones always, optional ones may be left out;</li>
 *   <li>an object schema without {@code properties}, an array without {@code items} and the empty schema
 *       take any JSON value nested at most {@value #GENERIC_DEPTH} deep;</li>
 *   <li>number bounds are rounded inwards to integers ({@code minimum: 0.5} emits values from 1); without
 *       bounds integers have at most {@value JsonGrammar#MAX_INTEGER_DIGITS} digits; see {@link JsonGrammar};</li>
 *   <li>a string {@code pattern} must match the whole string (so it also matches somewhere in it, as JSON
 *       Schema asks); quotes, backslashes and control characters are left out of what it may emit.</li>
 * </ul>
 */
final class JsonSchemaCompiler {
    /** Nesting depth of values a schema leaves open (json_object, {@code {}}, arrays without items). */
    static final int GENERIC_DEPTH = 3;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> ANNOTATIONS = Set.of("title", "description", "default", "examples",
            "$schema", "$id", "$comment");
    private static final Set<String> KEYWORDS = Set.of("type", "properties", "required", "additionalProperties",
            "items", "minItems", "maxItems", "minLength", "maxLength", "pattern", "minimum", "maximum", "enum",
            "const", "anyOf");
    private static final List<String> TYPES = List.of("object", "array", "string", "integer", "number",
            "boolean", "null");

    private JsonSchemaCompiler() {
    }

    /** The schema's byte regex; {@code schemaJson} is the schema as JSON text. */
    static ByteRegex compile(String schemaJson) {
        JsonNode schema;
        try {
            schema = MAPPER.readTree(schemaJson);
        } catch (JsonProcessingException e) {
            throw new UnsupportedFormatException("the JSON schema is not valid JSON: " + e.getOriginalMessage());
        }
        if (schema == null) {
            throw new UnsupportedFormatException("the JSON schema is empty");
        }
        return compile(schema, "#");
    }

    static ByteRegex compile(JsonNode schema, String path) {
        if (schema.isBoolean()) {
            if (!schema.booleanValue()) {
                throw new UnsupportedFormatException("JSON schema at " + path + " is false: nothing matches it");
            }
            return JsonGrammar.anyValue(GENERIC_DEPTH);
        }
        if (!schema.isObject()) {
            throw new UnsupportedFormatException("JSON schema at " + path + " is not an object");
        }
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String keyword = it.next();
            if (!KEYWORDS.contains(keyword) && !ANNOTATIONS.contains(keyword)) {
                throw new UnsupportedFormatException("JSON schema keyword '" + keyword + "' at " + path
                        + " is not supported (supported: " + String.join(", ", new java.util.TreeSet<>(KEYWORDS))
                        + ")");
            }
        }
        if (schema.has("enum")) {
            JsonNode values = schema.get("enum");
            if (!values.isArray() || values.isEmpty()) {
                throw new UnsupportedFormatException("'enum' at " + path + " must be a non-empty array");
            }
            List<ByteRegex> options = new ArrayList<>();
            values.forEach(v -> options.add(ByteRegex.literal(compact(v))));
            return ByteRegex.alt(options);
        }
        if (schema.has("const")) {
            return ByteRegex.literal(compact(schema.get("const")));
        }
        if (schema.has("anyOf")) {
            JsonNode options = schema.get("anyOf");
            if (!options.isArray() || options.isEmpty()) {
                throw new UnsupportedFormatException("'anyOf' at " + path + " must be a non-empty array");
            }
            if (schema.has("type")) {
                throw new UnsupportedFormatException("'anyOf' together with 'type' at " + path
                        + " is not supported; put the type into each option");
            }
            List<ByteRegex> compiled = new ArrayList<>();
            for (int i = 0; i < options.size(); i++) {
                compiled.add(compile(options.get(i), path + "/anyOf/" + i));
            }
            return ByteRegex.alt(compiled);
        }
        List<String> types = types(schema, path);
        List<ByteRegex> options = new ArrayList<>();
        for (String type : types) {
            options.add(switch (type) {
                case "object" -> object(schema, path);
                case "array" -> array(schema, path);
                case "string" -> string(schema, path);
                case "integer" -> {
                    long[] bounds = bounds(schema, path);
                    yield JsonGrammar.integer(bounds[0], bounds[1]);
                }
                case "number" -> {
                    long[] bounds = bounds(schema, path);
                    yield JsonGrammar.number(bounds[0], bounds[1]);
                }
                case "boolean" -> ByteRegex.alt(List.of(ByteRegex.literal("true"), ByteRegex.literal("false")));
                case "null" -> ByteRegex.literal("null");
                default -> throw new IllegalStateException(type);
            });
        }
        return ByteRegex.alt(options);
    }

    private static List<String> types(JsonNode schema, String path) {
        JsonNode type = schema.get("type");
        if (type == null) {
            if (schema.has("properties")) {
                return List.of("object");
            }
            if (schema.has("items")) {
                return List.of("array");
            }
            return List.copyOf(TYPES);
        }
        List<String> names = new ArrayList<>();
        if (type.isTextual()) {
            names.add(type.textValue());
        } else if (type.isArray() && !type.isEmpty()) {
            type.forEach(t -> names.add(t.asText()));
        } else {
            throw new UnsupportedFormatException("'type' at " + path + " must be a type name or a non-empty list");
        }
        for (String name : names) {
            if (!TYPES.contains(name)) {
                throw new UnsupportedFormatException("type '" + name + "' at " + path + " is not a JSON Schema type"
                        + " (" + String.join(", ", TYPES) + ")");
            }
        }
        return List.copyOf(new LinkedHashSet<>(names));
    }

    private static ByteRegex object(JsonNode schema, String path) {
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && !additional.isBoolean()) {
            throw new UnsupportedFormatException("'additionalProperties' at " + path
                    + " must be true or false; a schema there is not supported");
        }
        JsonNode properties = schema.get("properties");
        if (properties == null) {
            if (schema.has("required")) {
                throw new UnsupportedFormatException("'required' at " + path + " needs 'properties'");
            }
            return JsonGrammar.anyObject(GENERIC_DEPTH);
        }
        if (!properties.isObject()) {
            throw new UnsupportedFormatException("'properties' at " + path + " must be an object");
        }
        Set<String> required = new LinkedHashSet<>();
        JsonNode requiredNode = schema.get("required");
        if (requiredNode != null) {
            if (!requiredNode.isArray()) {
                throw new UnsupportedFormatException("'required' at " + path + " must be an array of names");
            }
            requiredNode.forEach(r -> required.add(r.asText()));
        }
        List<String> names = new ArrayList<>();
        List<ByteRegex> members = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            names.add(property.getKey());
            members.add(ByteRegex.seq(ByteRegex.literal(compact(MAPPER.getNodeFactory().textNode(property.getKey()))),
                    ByteRegex.literal(":"), compile(property.getValue(), path + "/properties/" + property.getKey())));
        }
        for (String name : required) {
            if (!names.contains(name)) {
                throw new UnsupportedFormatException("required property '" + name + "' at " + path
                        + " is not among 'properties'");
            }
        }
        boolean[] isRequired = new boolean[names.size()];
        for (int i = 0; i < names.size(); i++) {
            isRequired[i] = required.contains(names.get(i));
        }
        ByteRegex[][] memo = new ByteRegex[members.size() + 1][2];
        return ByteRegex.seq(ByteRegex.literal("{"), members(members, isRequired, 0, true, memo),
                ByteRegex.literal("}"));
    }

    /**
     * Members {@code i..} in order, a comma before each but the first emitted one. The suffixes are shared
     * objects ({@code memo[i][first]}), which the NFA compiles once each, so optional properties cost
     * linear, not exponential, size.
     */
    private static ByteRegex members(List<ByteRegex> members, boolean[] isRequired, int i, boolean first,
                                     ByteRegex[][] memo) {
        if (i == members.size()) {
            return ByteRegex.EMPTY;
        }
        int f = first ? 1 : 0;
        if (memo[i][f] == null) {
            ByteRegex taken = ByteRegex.seq(first ? ByteRegex.EMPTY : ByteRegex.literal(","), members.get(i),
                    members(members, isRequired, i + 1, false, memo));
            memo[i][f] = isRequired[i] ? taken
                    : new ByteRegex.Alt(List.of(taken, members(members, isRequired, i + 1, first, memo)));
        }
        return memo[i][f];
    }

    private static ByteRegex array(JsonNode schema, String path) {
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) {
            throw new UnsupportedFormatException("'items' as a list (tuple) at " + path + " is not supported");
        }
        ByteRegex item = items == null ? JsonGrammar.anyValue(GENERIC_DEPTH - 1) : compile(items, path + "/items");
        int minItems = count(schema, "minItems", path, 0);
        int maxItems = count(schema, "maxItems", path, ByteRegex.Repeat.UNBOUNDED);
        if (maxItems != ByteRegex.Repeat.UNBOUNDED && maxItems < minItems) {
            throw new UnsupportedFormatException("'maxItems' < 'minItems' at " + path);
        }
        ByteRegex rest = new ByteRegex.Repeat(ByteRegex.seq(ByteRegex.literal(","), item), Math.max(0, minItems - 1),
                maxItems == ByteRegex.Repeat.UNBOUNDED ? ByteRegex.Repeat.UNBOUNDED : Math.max(0, maxItems - 1));
        ByteRegex list = ByteRegex.seq(item, rest);
        if (maxItems == 0) {
            list = ByteRegex.NOTHING;
        }
        ByteRegex body = minItems == 0 ? ByteRegex.optional(list) : list;
        return ByteRegex.seq(ByteRegex.literal("["), body, ByteRegex.literal("]"));
    }

    private static ByteRegex string(JsonNode schema, String path) {
        int minLength = count(schema, "minLength", path, 0);
        int maxLength = count(schema, "maxLength", path, ByteRegex.Repeat.UNBOUNDED);
        if (maxLength != ByteRegex.Repeat.UNBOUNDED && maxLength < minLength) {
            throw new UnsupportedFormatException("'maxLength' < 'minLength' at " + path);
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null) {
            if (schema.has("minLength") || schema.has("maxLength")) {
                throw new UnsupportedFormatException("'pattern' together with 'minLength'/'maxLength' at " + path
                        + " is not supported; bound the length inside the pattern");
            }
            String text = pattern.asText();
            if (text.startsWith("^")) {
                text = text.substring(1);
            }
            if (text.endsWith("$") && !text.endsWith("\\$")) {
                text = text.substring(0, text.length() - 1);
            }
            return JsonGrammar.quoted(RegexParser.parse(text, JsonGrammar.NEEDS_ESCAPE));
        }
        return JsonGrammar.string(minLength, maxLength);
    }

    private static long[] bounds(JsonNode schema, String path) {
        long lo = -JsonGrammar.MAX_MAGNITUDE;
        long hi = JsonGrammar.MAX_MAGNITUDE;
        JsonNode minimum = schema.get("minimum");
        if (minimum != null) {
            requireNumber(minimum, "minimum", path);
            lo = Math.max(lo, (long) Math.max(-JsonGrammar.MAX_MAGNITUDE, Math.ceil(minimum.doubleValue())));
        }
        JsonNode maximum = schema.get("maximum");
        if (maximum != null) {
            requireNumber(maximum, "maximum", path);
            hi = Math.min(hi, (long) Math.min(JsonGrammar.MAX_MAGNITUDE, Math.floor(maximum.doubleValue())));
        }
        if (lo > hi) {
            throw new UnsupportedFormatException("'minimum'/'maximum' at " + path + " leave no integer in range"
                    + " (bounds are rounded inwards to integers of at most " + JsonGrammar.MAX_INTEGER_DIGITS
                    + " digits)");
        }
        return new long[] {lo, hi};
    }

    private static void requireNumber(JsonNode node, String keyword, String path) {
        if (!node.isNumber()) {
            throw new UnsupportedFormatException("'" + keyword + "' at " + path + " must be a number");
        }
    }

    private static int count(JsonNode schema, String keyword, String path, int absent) {
        JsonNode node = schema.get(keyword);
        if (node == null) {
            return absent;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0) {
            throw new UnsupportedFormatException("'" + keyword + "' at " + path + " must be a non-negative integer");
        }
        if (node.intValue() > RegexParser.MAX_REPEAT) {
            throw new UnsupportedFormatException("'" + keyword + "' = " + node.intValue() + " at " + path
                    + " exceeds the supported " + RegexParser.MAX_REPEAT);
        }
        return node.intValue();
    }

    private static String compact(JsonNode value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
