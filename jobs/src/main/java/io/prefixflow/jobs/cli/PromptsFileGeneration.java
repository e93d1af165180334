package io.prefixflow.jobs.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefixflow.runtime.engine.Engine;
import io.prefixflow.runtime.engine.EngineMetrics;
import io.prefixflow.runtime.engine.EngineRequest;
import io.prefixflow.runtime.engine.EngineResult;
import io.prefixflow.runtime.engine.RequestHandle;
import io.prefixflow.runtime.engine.SchedulerConfig;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code generate --prompts-file}: serves every line concurrently through one {@link Engine} and prints
 * the results in input order, as JSON lines ({@code --json}) or as text blocks.
 */
final class PromptsFileGeneration {
    private final Model model;
    private final ModelOptions modelOptions;
    private final int numBlocks;
    private final SchedulerConfig config;
    private EngineMetrics lastMetrics;

    /** @param modelOptions opens the runner on the chosen backend */
    PromptsFileGeneration(Model model, ModelOptions modelOptions, int numBlocks, SchedulerConfig config) {
        this.model = model;
        this.modelOptions = modelOptions;
        this.numBlocks = numBlocks;
        this.config = config;
    }

    /** Runs every prompt; returns the results in input order. */
    List<EngineResult> run(List<PromptLine> lines) {
        Tokenizer tokenizer = model.tokenizer();
        List<EngineRequest> requests = new ArrayList<>(lines.size());
        for (PromptLine line : lines) {
            int[] ids = tokenizer.encode(line.prompt(), tokenizer.addBosByDefault());
            if (ids.length == 0) {
                throw new IllegalArgumentException("line " + line.lineNumber() + ": the prompt encodes to no tokens");
            }
            requests.add(new EngineRequest("line-" + line.lineNumber(), ids, line.params(), line.priority(),
                    line.cacheSalt(), line.responseFormat()));
        }
        try (ModelRunner runner = modelOptions.openRunner(model, numBlocks);
             Engine engine = Engine.start(model, runner, config)) {
            List<RequestHandle> handles = new ArrayList<>(requests.size());
            for (EngineRequest request : requests) {
                handles.add(engine.submit(request));
            }
            List<EngineResult> results = new ArrayList<>(handles.size());
            for (RequestHandle handle : handles) {
                results.add(handle.result().join());
            }
            lastMetrics = engine.metrics();
            return results;
        }
    }

    /** The engine's metrics when the last run ended. */
    EngineMetrics metrics() {
        return lastMetrics;
    }

    /** One JSON object per result: prompt and generated ids, text, finish reason, usage (and error). */
    static void printJson(List<EngineResult> results, PrintWriter out) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        for (EngineResult result : results) {
            ObjectNode node = mapper.createObjectNode();
            node.putPOJO("prompt_token_ids", result.promptTokenIds());
            node.putPOJO("token_ids", result.tokenIds());
            node.put("text", result.text());
            node.put("finish_reason", result.finishReason().wireName());
            ObjectNode usage = node.putObject("usage");
            usage.put("prompt_tokens", result.usage().promptTokens());
            usage.put("cached_prompt_tokens", result.usage().cachedPromptTokens());
            usage.put("completion_tokens", result.usage().completionTokens());
            if (result.errorMessage() != null) {
                node.put("error", result.errorMessage());
            }
            out.println(mapper.writeValueAsString(node));
        }
    }

    /** A header line per result, then its text (or its error). */
    static void printText(List<PromptLine> lines, List<EngineResult> results, PrintWriter out) {
        for (int i = 0; i < results.size(); i++) {
            EngineResult result = results.get(i);
            out.printf("--- line %d: %s, %d prompt tokens (%d cached), %d generated%n", lines.get(i).lineNumber(),
                    result.finishReason().wireName(), result.usage().promptTokens(),
                    result.usage().cachedPromptTokens(), result.usage().completionTokens());
            out.println(result.errorMessage() != null ? "error: " + result.errorMessage() : result.text());
        }
    }
}
