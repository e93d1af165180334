package io.prefixflow.operator.testing;

import io.prefixflow.connectors.avro.InferenceRequest;
import java.time.Instant;

/** Valid requests for tests. */
public final class TestRequests {
    private TestRequests() {
    }

    /** A plain prompt; sampled (temperature 0.8, top-p 0.95) with a seed derived from the index. */
    public static InferenceRequest prompt(String id, String text, int maxTokens, long seed) {
        return InferenceRequest.newBuilder()
                .setId(id)
                .setTenant("acme")
                .setPrompt(text)
                .setMaxTokens(maxTokens)
                .setTemperature(0.8f)
                .setTopP(0.95f)
                .setSeed(seed)
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }
}
