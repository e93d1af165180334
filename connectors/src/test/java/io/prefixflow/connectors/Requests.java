package io.prefixflow.connectors;

import io.prefixflow.connectors.avro.ChatMessage;
import io.prefixflow.connectors.avro.InferenceRequest;
import java.time.Instant;
import java.util.List;

/** Valid requests for tests. */
public final class Requests {
    private Requests() {
    }

    /** A valid plain-prompt request with every optional field left at its default. */
    public static InferenceRequest prompt(String id, String text) {
        return InferenceRequest.newBuilder()
                .setId(id)
                .setTenant("acme")
                .setPrompt(text)
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    /** A valid chat request. */
    public static InferenceRequest chat(String id) {
        return InferenceRequest.newBuilder()
                .setId(id)
                .setTenant("acme")
                .setMessages(List.of(new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi")))
                .setCacheKey("conversation-7")
                .setSeed(42L)
                .setStop(List.of("\n\n"))
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setDeadline(Instant.ofEpochMilli(1_700_000_060_000L))
                .build();
    }
}
