package io.prefixflow.jobs.cli;

import static io.prefixflow.jobs.cli.GenerateCommandTest.model;
import static io.prefixflow.jobs.cli.GenerateCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code generate --json-schema/--choice/--regex} and {@code response_format} lines on stories260K.gguf. */
class GenerateStructuredOutputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"name\":{\"type\":\"string\",\"maxLength\":10},"
            + "\"age\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":99},"
            + "\"tags\":{\"type\":\"array\",\"items\":{\"enum\":[\"happy\",\"sad\"]},\"maxItems\":2},"
            + "\"pet\":{\"anyOf\":[{\"type\":\"null\"},{\"type\":\"boolean\"}]}},"
            + "\"required\":[\"name\",\"age\"],\"additionalProperties\":false}";

    @TempDir
    Path dir;

    @Test
    void jsonSchemaGivesTextThatValidates() throws Exception {
        for (String[] options : List.of(new String[] {"--temperature", "0"},
                new String[] {"--temperature", "0.9", "--seed", "5"})) {
            GenerateCommandTest.Run run = run(concat(new String[] {"generate", "--model", model("stories260K.gguf"),
                    "--prompt", "Once upon a time", "--max-tokens", "120", "--json-schema", SCHEMA, "--json"}, options));
            assertEquals(0, run.exitCode(), run.err());
            JsonNode result = MAPPER.readTree(run.out());
            assertEquals("stop", result.get("finish_reason").asText(), run.out());
            assertValid(SCHEMA, result.get("text").asText());
        }
    }

    @Test
    void jsonSchemaMayComeFromAFile() throws Exception {
        Path schema = Files.writeString(dir.resolve("schema.json"), SCHEMA, StandardCharsets.UTF_8);
        GenerateCommandTest.Run run = run("generate", "--model", model("stories260K.gguf"), "--prompt", "Tom",
                "--max-tokens", "120", "--json-schema", schema.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        assertValid(SCHEMA, MAPPER.readTree(run.out()).get("text").asText());
    }

    @Test
    void choicePrintsExactlyOneChoice() throws Exception {
        for (int seed = 0; seed < 3; seed++) {
            GenerateCommandTest.Run run = run("generate", "--model", model("stories260K.gguf"), "--prompt",
                    "The weather today is", "--temperature", "1", "--seed", Integer.toString(seed),
                    "--choice", "sunny,rainy,cloudy", "--json");
            assertEquals(0, run.exitCode(), run.err());
            String text = MAPPER.readTree(run.out()).get("text").asText();
            assertTrue(List.of("sunny", "rainy", "cloudy").contains(text), text);
        }
    }

    @Test
    void promptsFileLinesCarryTheirOwnFormat() throws Exception {
        Path file = Files.write(dir.resolve("p.jsonl"), List.of(
                "{\"prompt\": \"Lily\", \"response_format\": {\"type\": \"regex\", \"pattern\": \"[a-z]{2,5}!\"}}",
                "{\"prompt\": \"Tom\", \"response_format\": {\"type\": \"json_schema\", \"schema\": " + SCHEMA + "}}",
                "{\"prompt\": \"Sam\", \"response_format\": {\"type\": \"json_schema\", \"schema\": {\"not\": {}}}}",
                "{\"prompt\": \"Sue\", \"response_format\": {\"type\": \"json_object\"}, \"max_tokens\": 60}",
                "{\"prompt\": \"Ann\", \"max_tokens\": 5}"), StandardCharsets.UTF_8);
        GenerateCommandTest.Run run = run("generate", "--model", model("stories260K.gguf"), "--prompts-file",
                file.toString(), "--max-tokens", "120", "--json");
        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> lines = run.out().lines().map(l -> {
            try {
                return MAPPER.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        assertEquals(5, lines.size(), run.out());
        assertTrue(Pattern.matches("[a-z]{2,5}!", lines.get(0).get("text").asText()), lines.get(0).toString());
        assertValid(SCHEMA, lines.get(1).get("text").asText());
        assertEquals("error", lines.get(2).get("finish_reason").asText());
        assertTrue(lines.get(2).get("error").asText().contains("'not'"), lines.get(2).toString());
        if (lines.get(3).get("finish_reason").asText().equals("stop")) {
            assertTrue(MAPPER.readTree(lines.get(3).get("text").asText()).isObject(), lines.get(3).toString());
        }
        assertEquals(5, lines.get(4).get("token_ids").size(), "a line without a format is free text");
    }

    @Test
    void anUnsupportedSchemaStopsWithItsName() throws Exception {
        GenerateCommandTest.Run run = run("generate", "--model", model("stories260K.gguf"), "--prompt", "Tom",
                "--json-schema", "{\"type\":\"string\",\"format\":\"email\"}", "--json");
        assertEquals(2, run.exitCode(), run.out() + run.err());
        assertTrue(run.err().contains("'format'"), run.err());
        GenerateCommandTest.Run two = run("generate", "--model", model("stories260K.gguf"), "--prompt", "Tom",
                "--choice", "a,b", "--regex", "a");
        assertTrue(two.err().contains("at most one of"), two.err());
    }

    private static void assertValid(String schema, String text) {
        var errors = SCHEMAS.getSchema(schema).validate(text, InputFormat.JSON);
        assertTrue(errors.isEmpty(), () -> "'" + text + "': " + errors);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
