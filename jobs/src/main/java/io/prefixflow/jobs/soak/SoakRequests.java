package io.prefixflow.jobs.soak;

import io.prefixflow.connectors.avro.InferenceRequest;
import java.time.Instant;

/**
 * The requests of a soak run, the same kind as chaos sends: TinyStories-like prompts, 8 to 15 output tokens,
 * sampled with a seed per request. Prompts repeat their openings, so the prefix cache fills and evicts.
 */
final class SoakRequests {
    private static final String[] OPENINGS = {"Once upon a time, there was a little dog named Max.",
        "Lily went to the park with her mom.", "Tom had a red ball. One day", "The sun was hot and the cat was",
        "Sara found a big box in the garden.", "Ben and his sister liked to play", "A little bird sat on a tree.",
        "One day, a girl named Amy saw"};

    private SoakRequests() {
    }

    /** The id of request {@code index}: {@code soak-0000000}, ... */
    static String id(long index) {
        return String.format("soak-%07d", index);
    }

    /** Request number {@code index}. */
    static InferenceRequest request(long index) {
        int i = (int) (index % 1_000_000);
        return InferenceRequest.newBuilder()
                .setId(id(index))
                .setTenant("soak")
                .setPrompt(OPENINGS[i % OPENINGS.length] + " Story " + (i / OPENINGS.length) + ":")
                .setMaxTokens(8 + i % 8)
                .setTemperature(0.8f)
                .setTopP(0.95f)
                .setSeed(1000L + index)
                .setCreatedAt(Instant.now())
                .build();
    }
}
