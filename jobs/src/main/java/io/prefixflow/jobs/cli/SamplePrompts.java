package io.prefixflow.jobs.cli;

import io.prefixflow.connectors.avro.InferenceRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The quickstart's built-in prompts, in the style of the TinyStories model, covering the four use cases
 * with shared prefixes: story generation (short in, longer out), summarization (a shared instruction,
 * then a story), questions over two shared documents, and a conversation whose history grows turn by turn
 * (routed by its cache_key). Deterministic: request {@code i} is always the same, seed included.
 */
final class SamplePrompts {
    private static final String[] OPENINGS = {"Once upon a time, there was a little dog named Max.",
        "One day, a girl named Lily found a shiny red ball.", "Tom and his mom went to the park.",
        "There was a big tree next to a small house.", "A little bird wanted to fly over the hill.",
        "Sue had a toy car that could go very fast."};
    private static final String SUMMARY_HEADER = "Here is a story for a child. Read it and then say in one short"
            + " sentence what happened. The sentence should be simple and kind, and it should use easy words"
            + " that a small child can understand.\nStory: ";
    private static final String[] STORIES = {"Ben wanted a cookie. He asked his dad. His dad said yes, and they"
            + " ate cookies together.", "A cat lost her ball under the bed. Her friend the dog helped her find it.",
        "The sun was hot, so Mia went to swim in the lake with her brother."};
    private static final String[] DOCUMENTS = {"Lily lived in a small blue house by the sea. Every morning she"
            + " walked to the beach with her dog Spot. They looked for shells and played in the sand. One day"
            + " they found a big white shell that sang when you held it to your ear. Lily was very happy. ",
        "Tim had a red truck and a green truck. He liked the red truck best because it was fast. His friend Sam"
            + " liked the green truck because it was big. They played with the trucks in the garden until the"
            + " sun went down, and then they went inside to eat soup. "};
    private static final String[] QUESTIONS = {"Question: Who was with Lily? Answer:",
        "Question: What did they find? Answer:", "Question: How did she feel? Answer:",
        "Question: Where did she live? Answer:"};
    private static final String[] TURNS = {"Mom: Hello, Tim! What did you do today?\nTim:",
        "Mom: That sounds fun. Who did you play with?\nTim:", "Mom: What will you do tomorrow?\nTim:",
        "Mom: Time for bed. Good night!\nTim:"};

    private SamplePrompts() {
    }

    /** {@code count} requests, the four use cases in turn. */
    static List<InferenceRequest> build(int count) {
        List<InferenceRequest> requests = new ArrayList<>(count);
        int[] perCase = new int[4];
        for (int i = 0; i < count; i++) {
            int useCase = i % 4;
            int n = perCase[useCase]++;
            requests.add(switch (useCase) {
                case 0 -> request("generate-" + n, OPENINGS[n % OPENINGS.length], null, 64, List.of(), i);
                case 1 -> request("summarize-" + n, SUMMARY_HEADER + STORIES[n % STORIES.length] + "\nIn short:",
                        null, 32, List.of(), i);
                case 2 -> request("qa-doc" + (n % 2) + "-" + n, DOCUMENTS[n % 2] + QUESTIONS[(n / 2) % QUESTIONS.length],
                        null, 24, List.of("\n"), i);
                default -> request("chat-turn-" + n, conversation(n % TURNS.length), "conversation-1", 32,
                        List.of("\n"), i);
            });
        }
        return requests;
    }

    /** The conversation up to turn {@code n}: every earlier turn's question, answered "...". */
    private static String conversation(int n) {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t <= n; t++) {
            text.append(TURNS[t % TURNS.length]);
            if (t < n) {
                text.append(" I played with my ball.\n");
            }
        }
        return text.toString();
    }

    private static InferenceRequest request(String id, String prompt, String cacheKey, int maxTokens,
                                            List<String> stop, long seed) {
        return InferenceRequest.newBuilder()
                .setId(id)
                .setTenant("quickstart")
                .setPrompt(prompt)
                .setCacheKey(cacheKey)
                .setMaxTokens(maxTokens)
                .setTemperature(0.7f)
                .setTopP(0.9f)
                .setSeed(seed)
                .setStop(stop)
                .setCreatedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }
}
