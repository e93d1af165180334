package io.prefixflow.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's own prompts: a JSON Lines file, one object per line with {@code prompt} (text) and optional
 * {@code max_tokens}; blank lines are skipped. Requests cycle through the lines when more are asked for.
 */
public final class DatasetFile {
    private DatasetFile() {
    }

    /** {@code count} requests from {@code file}; {@code defaultMaxTokens} where a line gives none. */
    public static List<BenchRequest> read(Path file, int count, int defaultMaxTokens) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--dataset " + file + ": cannot read (" + e.getMessage() + ")", e);
        }
        ObjectMapper json = new ObjectMapper();
        List<BenchRequest> rows = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            try {
                JsonNode node = json.readTree(lines.get(n));
                JsonNode prompt = node.get("prompt");
                if (prompt == null || !prompt.isTextual()) {
                    throw new IllegalArgumentException("no \"prompt\" string");
                }
                int maxTokens = node.has("max_tokens") ? node.get("max_tokens").asInt() : defaultMaxTokens;
                rows.add(new BenchRequest("dataset-" + n, prompt.asText(), maxTokens, null));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException("--dataset " + file + " line " + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("--dataset " + file + ": no prompts");
        }
        List<BenchRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BenchRequest r = rows.get(i % rows.size());
            out.add(new BenchRequest(r.id() + "-" + i, r.prompt(), r.maxTokens(), null));
        }
        return out;
    }
}
