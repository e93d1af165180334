package io.prefixflow.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prefixflow.connectors.avro.Completion;

/** A {@link Completion} as one line of JSON, with the Avro field names. */
final class CompletionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CompletionJson() {
    }

    static String toJson(Completion c) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("request_id", c.getRequestId());
        node.put("tenant", c.getTenant());
        node.put("text", c.getText());
        node.put("finish_reason", c.getFinishReason().name().toLowerCase(java.util.Locale.ROOT));
        if (c.getError() != null) {
            node.put("error", c.getError());
        }
        node.put("prompt_tokens", c.getPromptTokens());
        node.put("cached_prompt_tokens", c.getCachedPromptTokens());
        node.put("completion_tokens", c.getCompletionTokens());
        node.put("queue_ms", c.getQueueMs());
        if (c.getTtftMs() != null) {
            node.put("ttft_ms", c.getTtftMs());
        }
        node.put("total_ms", c.getTotalMs());
        node.put("served_by_subtask", c.getServedBySubtask());
        return node.toString();
    }
}
