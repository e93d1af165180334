package io.prefixflow.jobs.chaos;

import io.prefixflow.connectors.avro.InferenceRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The requests of a chaos run: short outputs (8 to 15 tokens) on TinyStories-like prompts, sampled (not greedy)
 * with a seed per request, so a completion that was resumed with the wrong random state shows as a mismatch.
 */
public final class ChaosRequests {
    private static final String[] OPENINGS = {"Once upon a time, there was a little dog named Max.",
        "Lily went to the park with her mom.", "Tom had a red ball. One day", "The sun was hot and the cat was",
        "Sara found a big box in the garden.", "Ben and his sister liked to play", "A little bird sat on a tree.",
        "One day, a girl named Amy saw"};

    private ChaosRequests() {
    }

    /** {@code count} requests with ids {@code chaos-00000}, ...; the same for the same count. */
    public static List<InferenceRequest> build(int count) {
        List<InferenceRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(InferenceRequest.newBuilder()
                    .setId(String.format("chaos-%05d", i))
                    .setTenant("chaos")
                    .setPrompt(OPENINGS[i % OPENINGS.length] + " Story " + (i / OPENINGS.length) + ":")
                    .setMaxTokens(8 + i % 8)
                    .setTemperature(0.8f)
                    .setTopP(0.95f)
                    .setSeed(1000L + i)
                    .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                    .build());
        }
        return requests;
    }
}
