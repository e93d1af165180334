package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sql} in-process: the issue's acceptance script prints one JSON object per row whose completion is
 * {@code generate}'s text; the table output; a failing statement is one error line naming the problem; the
 * shipped Kafka example writes completions through an in-process broker and reads them back.
 */
class SqlCommandITCase {
    /** The script of issue 13, verbatim but for where the shared folder is. */
    private static final String ISSUE_SCRIPT = """
            CREATE TEMPORARY VIEW prompts AS SELECT * FROM (VALUES ('p1', 'Once upon a time')) AS t(id, prompt);
            CREATE MODEL story INPUT (prompt STRING) OUTPUT (completion STRING)
              WITH ('provider' = 'prefixflow', 'model' = '../shared/models/stories260K.gguf', 'context-length' = '512',
                    'max-tokens' = '24', 'temperature' = '0');
            SELECT id, completion FROM ML_PREDICT(TABLE prompts, MODEL story, DESCRIPTOR(prompt));
            """;

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void issueScriptPrintsOneJsonObjectPerRowWithGeneratesText() throws Exception {
        String gguf = GenerateCommandTest.model("stories260K.gguf");
        Path script = write("script.sql", ISSUE_SCRIPT.replace("../shared/models/stories260K.gguf", gguf));

        GenerateCommandTest.Run run = GenerateCommandTest.run("sql", "--file", script.toString(), "--json");

        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> rows = jsonLines(run.out());
        assertEquals(1, rows.size(), run.out());
        assertEquals(List.of("id", "completion"), fieldNames(rows.get(0)));
        assertEquals("p1", rows.get(0).get("id").asText());
        String expected = generateText(gguf, "Once upon a time", 24);
        assertTrue(!expected.isEmpty());
        assertEquals(expected, rows.get(0).get("completion").asText());
    }

    @Test
    @Timeout(180)
    void tableOutputOfSeveralRowsFromTheCommandLine() {
        GenerateCommandTest.Run run = GenerateCommandTest.run("sql", "-e",
                "CREATE MODEL m INPUT (p STRING) OUTPUT (completion STRING, completion_tokens INT) WITH ("
                        + "'provider' = 'prefixflow', 'model' = 'builtin:stories260K', 'max-tokens' = '5');"
                        + "CREATE TEMPORARY VIEW t AS SELECT * FROM (VALUES (1, 'Tom'), (2, 'Lily'), (3, 'Max'))"
                        + " AS v(n, p);"
                        + "SELECT n, completion_tokens FROM ML_PREDICT(TABLE t, MODEL m, DESCRIPTOR(p))");

        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("| n | completion_tokens |", lines.get(1));
        assertEquals(List.of("| 1 | 5                 |", "| 2 | 5                 |", "| 3 | 5                 |"),
                lines.subList(3, 6));
        assertEquals("3 rows", lines.get(lines.size() - 1));
    }

    @Test
    @Timeout(120)
    void failingStatementIsOneErrorLineNamingTheProblem() {
        GenerateCommandTest.Run run = GenerateCommandTest.run("sql", "-e",
                "CREATE MODEL m INPUT (p STRING) OUTPUT (completion STRING, bogus STRING) WITH ("
                        + "'provider' = 'prefixflow', 'model' = 'builtin:stories260K');"
                        + "CREATE TEMPORARY VIEW t AS SELECT 'x' AS p;"
                        + "SELECT * FROM ML_PREDICT(TABLE t, MODEL m, DESCRIPTOR(p))");

        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("error: statement 3 failed: "), run.err());
        assertTrue(run.err().contains("unknown output column 'bogus'"), run.err());
    }

    @Test
    @Timeout(240)
    void kafkaExampleServesPromptsFromATopicIntoATopic() throws Exception {
        Path script = dir.resolve("kafka-pipeline.sql");
        try (InputStream in = SqlCommandITCase.class.getResourceAsStream("/sql-examples/kafka-pipeline.sql")) {
            Files.copy(in, script);
        }

        GenerateCommandTest.Run run = GenerateCommandTest.run("sql", "--file", script.toString(), "--json");

        assertEquals(0, run.exitCode(), run.err());
        Map<String, JsonNode> byId = new HashMap<>();
        for (JsonNode row : jsonLines(run.out())) {
            byId.put(row.get("id").asText(), row);
        }
        assertEquals(List.of("p1", "p2", "p3"), byId.keySet().stream().sorted().toList(), run.out());
        JsonNode p3 = byId.get("p3");
        assertEquals("length", p3.get("finish_reason").asText());
        assertEquals(32, p3.get("completion_tokens").asInt());
        assertTrue(p3.get("error").isNull());
        // The example's sampling is greedy by default: generate with the same model spec gives the same text.
        assertEquals(generateText("builtin:stories260K", "Tom and his mom went to the park.", 32),
                p3.get("completion").asText());
    }

    @Test
    @Timeout(180)
    void jobManagerSendsTheJobsToThatCluster() throws Exception {
        Configuration conf = new Configuration();
        LocalFlink.loopbackOnly(conf);
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(1).build();
        try (MiniCluster cluster = new MiniCluster(config)) {
            cluster.start();
            URI rest = cluster.getRestAddress().get();

            GenerateCommandTest.Run run = GenerateCommandTest.run("sql", "--jobmanager",
                    rest.getHost() + ":" + rest.getPort(), "--json", "-e",
                    "CREATE MODEL m INPUT (p STRING) OUTPUT (completion STRING) WITH ('provider' = 'prefixflow',"
                            + " 'model' = 'builtin:stories260K', 'max-tokens' = '8');"
                            + "CREATE TEMPORARY VIEW t AS SELECT 'Tom' AS p;"
                            + "SELECT completion FROM ML_PREDICT(TABLE t, MODEL m, DESCRIPTOR(p))");

            assertEquals(0, run.exitCode(), run.err());
            assertEquals(generateText("builtin:stories260K", "Tom", 8), jsonLines(run.out()).get(0).get("completion")
                    .asText());
            assertEquals(1, cluster.listJobs().get().size(), "the query ran as a job of that cluster");
        }
    }

    @Test
    void jobManagerWithKafkaNeedsBootstrapServers() {
        GenerateCommandTest.Run run = GenerateCommandTest.run("sql", "--jobmanager", "127.0.0.1:8081", "-e",
                "CREATE TABLE k (x STRING) WITH ('connector' = 'kafka', 'topic' = 't')");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--bootstrap-servers"), run.err());
    }

    private static String generateText(String model, String prompt, int maxTokens) throws Exception {
        GenerateCommandTest.Run run = GenerateCommandTest.run("generate", "--model", model, "--context-length", "512",
                "--prompt", prompt, "--max-tokens", String.valueOf(maxTokens), "--temperature", "0", "--json");
        assertEquals(0, run.exitCode(), run.err());
        return new ObjectMapper().readTree(run.out()).get("text").asText();
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static List<JsonNode> jsonLines(String out) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.lines().toList()) {
            if (!line.isBlank()) {
                rows.add(mapper.readTree(line));
            }
        }
        return rows;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
