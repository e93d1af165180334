package io.prefixflow.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefixflow.runtime.engine.Priority;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.structured.ResponseFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads a JSON Lines prompts file: one object per line with {@code prompt} and optionally
 * {@code max_tokens}, {@code temperature}, {@code top_p}, {@code top_k}, {@code seed}, {@code stop} (a
 * string or a list of strings), {@code priority} ({@code LATENCY}/{@code THROUGHPUT}, any case) and
 * {@code cache_salt} and {@code response_format} (an object: {@code {"type": "json_schema", "schema": {...}}},
 * {@code {"type": "choice", "choices": [...]}}, {@code {"type": "regex", "pattern": "..."}} or
 * {@code {"type": "json_object"}}, see {@link ResponseFormat}). Missing settings come from the command's
 * options. Blank lines are skipped.
 *
 * <p>Any problem (bad JSON, unknown key, wrong type, invalid value) is an
 * {@link IllegalArgumentException} naming the file and the line number.
 */
final class PromptsFile {
    private static final Set<String> KEYS = Set.of(
            "prompt", "max_tokens", "temperature", "top_p", "top_k", "seed", "stop", "priority", "cache_salt",
            "response_format");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PromptsFile() {
    }

    /**
     * The file's prompts in file order; {@code defaults} and {@code defaultFormat} (null for free text)
     * supply settings a line leaves out.
     */
    static List<PromptLine> read(Path file, SamplingParams defaults, ResponseFormat defaultFormat) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --prompts-file " + file + ": " + e.getMessage(), e);
        }
        List<PromptLine> prompts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                prompts.add(parse(i + 1, lines.get(i), defaults, defaultFormat));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no prompt");
        }
        return prompts;
    }

    static PromptLine parse(int lineNumber, String line, SamplingParams defaults, ResponseFormat defaultFormat) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("expected a JSON object like {\"prompt\": \"...\"}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException("unknown key \"" + name + "\"; known keys: " + KEYS);
            }
        }
        JsonNode prompt = node.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
            throw new IllegalArgumentException("\"prompt\" must be a string and is required");
        }
        SamplingParams params = new SamplingParams(
                (float) number(node, "temperature", defaults.temperature()),
                (float) number(node, "top_p", defaults.topP()),
                (int) integer(node, "top_k", defaults.topK()),
                integer(node, "seed", defaults.seed()),
                (int) integer(node, "max_tokens", defaults.maxTokens()),
                stops(node, defaults.stopStrings()));
        Priority priority = Priority.THROUGHPUT;
        if (node.has("priority")) {
            priority = Priority.parse(text(node, "priority"));
        }
        String salt = node.has("cache_salt") ? text(node, "cache_salt") : "";
        ResponseFormat format = defaultFormat;
        JsonNode formatNode = node.get("response_format");
        if (formatNode != null && !formatNode.isNull()) {
            format = ResponseFormat.fromJson(formatNode);
        }
        return new PromptLine(lineNumber, prompt.asText(), params, priority, salt, format);
    }

    private static double number(JsonNode node, String key, double fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a number, got " + value);
        }
        return value.asDouble();
    }

    private static long integer(JsonNode node, String key, long fallback) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("\"" + key + "\" must be an integer, got " + value);
        }
        long v = value.asLong();
        if (!key.equals("seed") && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("\"" + key + "\" is out of range: " + v);
        }
        return v;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + key + "\" must be a string, got " + value);
        }
        return value.asText();
    }

    private static List<String> stops(JsonNode node, List<String> fallback) {
        JsonNode value = node.get("stop");
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("\"stop\" must be a string or a list of strings, got " + value);
        }
        List<String> stops = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("\"stop\" must hold only strings, got " + item);
            }
            stops.add(item.asText());
        }
        return stops;
    }
}
