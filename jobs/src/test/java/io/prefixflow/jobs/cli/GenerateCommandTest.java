package io.prefixflow.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prefixflow.runtime.cuda.CudaProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code generate} in-process on stories260K: the single prompt and the prompts file, with --json. */
class GenerateCommandTest {
    private static final String STORY = "Once upon a time, there was a little girl named Lily. She loved to play"
            + " outside in the park with her friends. One day";

    @TempDir
    Path dir;

    @Test
    void promptsFileServesEveryLineAndPrintsJsonInInputOrder() throws Exception {
        Path file = write("prompts.jsonl",
                "{\"prompt\": \"" + STORY + "\", \"max_tokens\": 12}",
                "",
                "{\"prompt\": \"" + STORY + " she\", \"max_tokens\": 8, \"priority\": \"Latency\"}",
                "{\"prompt\": \"" + STORY + "\", \"max_tokens\": 12, \"cache_salt\": \"other\"}",
                "{\"prompt\": \"Tom\", \"temperature\": 0.8, \"top_p\": 0.9, \"top_k\": 20, \"seed\": 3,"
                        + " \"stop\": [\".\"], \"max_tokens\": 40}");
        Run run = run("generate", "--model", model("stories260K.bin"), "--tokenizer", model("tok512.bin"),
                "--prompts-file", file.toString(), "--json", "--max-running", "1", "--max-batched-tokens", "16",
                "--kv-cache-bytes", "4000000");
        assertEquals(0, run.exitCode, run.err);
        List<JsonNode> lines = jsonLines(run.out);
        assertEquals(4, lines.size(), run.out);

        Run single = run("generate", "--model", model("stories260K.bin"), "--tokenizer", model("tok512.bin"),
                "--prompt", STORY, "--max-tokens", "12", "--json");
        JsonNode alone = jsonLines(single.out).get(0);
        assertEquals(List.of("prompt_token_ids", "token_ids", "text", "finish_reason"), fieldNames(alone),
                "the single-prompt output keeps its keys");
        for (int i : new int[] {0, 2}) {
            assertEquals(alone.get("token_ids"), lines.get(i).get("token_ids"), "line " + i + " equals --prompt");
            assertEquals(alone.get("text"), lines.get(i).get("text"));
            assertEquals("length", lines.get(i).get("finish_reason").asText());
            assertEquals(12, lines.get(i).get("usage").get("completion_tokens").asInt());
            assertEquals(alone.get("prompt_token_ids").size(), lines.get(i).get("usage").get("prompt_tokens").asInt());
        }
        JsonNode first = lines.get(0);
        JsonNode latency = lines.get(1);
        JsonNode otherTenant = lines.get(2);
        assertTrue(first.get("usage").get("cached_prompt_tokens").asInt()
                        + latency.get("usage").get("cached_prompt_tokens").asInt() >= 16,
                "one of the two same-salt prompts reuses the other's prefix: " + first + latency);
        assertEquals(0, otherTenant.get("usage").get("cached_prompt_tokens").asInt(), "another salt shares nothing");
        assertEquals(8, latency.get("token_ids").size());
        JsonNode sampled = lines.get(3);
        assertTrue(!sampled.get("text").asText().contains("."), "stop string cuts the text");
        assertTrue(List.of("stop", "length").contains(sampled.get("finish_reason").asText()));
        assertEquals(List.of("prompt_token_ids", "token_ids", "text", "finish_reason", "usage"), fieldNames(sampled));
        assertEquals(List.of("prompt_tokens", "cached_prompt_tokens", "completion_tokens"),
                fieldNames(sampled.get("usage")));
    }

    @Test
    void tooLongPromptsBecomeErrorResultsAndTheOthersAreServed() throws Exception {
        String longPrompt = "Lily and Tom played in the park. ".repeat(60);
        Path file = write("long.jsonl",
                "{\"prompt\": \"" + longPrompt + "\", \"max_tokens\": 4}",
                "{\"prompt\": \"Tom\", \"max_tokens\": 4}");
        Run run = run("generate", "--model", model("stories260K.bin"), "--tokenizer", model("tok512.bin"),
                "--prompts-file", file.toString(), "--json");
        assertEquals(0, run.exitCode, run.err);
        List<JsonNode> lines = jsonLines(run.out);
        assertEquals("error", lines.get(0).get("finish_reason").asText());
        assertTrue(lines.get(0).get("error").asText().contains("context holds 512"), lines.get(0).toString());
        assertEquals("length", lines.get(1).get("finish_reason").asText());
        assertEquals(4, lines.get(1).get("token_ids").size());
    }

    @Test
    void aBadLineIsReportedWithItsNumber() throws Exception {
        Path file = write("bad.jsonl", "{\"prompt\": \"Tom\"}", "{\"prompt\": \"Tom\", \"max_token\": 3}");
        Run run = run("generate", "--model", model("stories260K.bin"), "--tokenizer", model("tok512.bin"),
                "--prompts-file", file.toString());
        assertEquals(2, run.exitCode);
        assertTrue(run.err.contains("line 2") && run.err.contains("unknown key \"max_token\""), run.err);

        Path badPriority = write("priority.jsonl", "{\"prompt\": \"Tom\", \"priority\": \"urgent\"}");
        Run second = run("generate", "--model", model("stories260K.bin"), "--tokenizer", model("tok512.bin"),
                "--prompts-file", badPriority.toString());
        assertTrue(second.err.contains("line 1") && second.err.contains("LATENCY or THROUGHPUT"), second.err);

        Path notJson = write("broken.jsonl", "{\"prompt\": \"Tom\"}", "", "{prompt: Tom}");
        Run third = run("generate", "--model", model("stories260K.bin"), "--tokenizer", model("tok512.bin"),
                "--prompts-file", notJson.toString());
        assertTrue(third.err.contains("line 3") && third.err.contains("not valid JSON"), third.err);
    }

    @Test
    void promptAndPromptsFileAreMutuallyExclusive() throws Exception {
        Path file = write("one.jsonl", "{\"prompt\": \"Tom\"}");
        Run both = run("generate", "--model", model("stories260K.bin"), "--tokenizer", model("tok512.bin"),
                "--prompts-file", file.toString(), "--prompt", "Tom");
        assertEquals(2, both.exitCode);
        assertTrue(both.err.contains("exactly one of --prompt"), both.err);
        Run neither = run("generate", "--model", model("stories260K.bin"), "--tokenizer", model("tok512.bin"));
        assertTrue(neither.err.contains("exactly one of --prompt"), neither.err);
    }

    /** Every command that runs a model honours --backend: without a GPU, cuda stops with the reason. */
    @Test
    void cudaWithoutAGpuStopsWithTheReasonAndNeverFallsBackToTheCpu() throws Exception {
        Assumptions.assumeFalse(CudaProbe.isAvailable(), "a GPU is usable here, so cuda would really run");
        Path file = write("cuda.jsonl", "{\"prompt\": \"Tom\", \"max_tokens\": 2}");
        Run promptsFile = run("generate", "--model", model("stories260K.bin"), "--tokenizer", model("tok512.bin"),
                "--prompts-file", file.toString(), "--backend", "cuda");
        Run benchPrefix = run("bench-prefix", "--model", "dummy:tiny", "--backend", "cuda", "--groups", "1",
                "--prompts-per-group", "1", "--prefix-tokens", "16", "--suffix-tokens", "1", "--output-tokens", "1");
        for (Run run : List.of(promptsFile, benchPrefix)) {
            assertEquals(2, run.exitCode, run.out + run.err);
            assertTrue(run.err.contains(CudaProbe.reason()), run.err);
            assertTrue(run.out.isEmpty(), "nothing was served: " + run.out);
        }
    }

    record Run(int exitCode, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String model(String file) {
        String shared = System.getProperty("prefixflow.shared.dir", System.getenv("PREFIXFLOW_SHARED_DIR"));
        if (shared == null) {
            throw new IllegalStateException("set -Dprefixflow.shared.dir or PREFIXFLOW_SHARED_DIR to the shared/ folder");
        }
        Path path = Path.of(shared, "models", file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("missing shared file " + path);
        }
        return path.toString();
    }

    private Path write(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    private static List<JsonNode> jsonLines(String out) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(mapper.readTree(line));
            }
        }
        return nodes;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
