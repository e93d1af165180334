package io.prefixflow.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The cases of {@code reference/stories260K-greedy.json}: run.c's greedy generations of stories260K. */
public final class GreedyReference {
    /** One reference case; {@code firstStepLogits} is null where the file has none. */
    public record Case(String id, String prompt, int[] promptIds, int[] generatedIds, String completionText,
                       float[] firstStepLogits, List<float[][]> top5PerStep) {
        @Override
        public String toString() {
            return id;
        }
    }

    private GreedyReference() {
    }

    public static List<Case> cases() {
        try {
            JsonNode root = new ObjectMapper().readTree(SharedData.reference("stories260K-greedy.json").toFile());
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                JsonNode logits = c.get("first_step_full_logits");
                List<float[][]> top5 = new ArrayList<>();
                for (JsonNode step : c.get("top5_per_step")) {
                    float[][] pairs = new float[5][];
                    for (int i = 0; i < 5; i++) {
                        JsonNode pair = step.get("top5").get(i);
                        pairs[i] = new float[] {pair.get(0).floatValue(), pair.get(1).floatValue()};
                    }
                    top5.add(pairs);
                }
                cases.add(new Case(c.get("id").asText(), c.get("prompt").asText(), ints(c.get("prompt_ids")),
                        ints(c.get("generated_ids")), c.get("completion_text").asText(),
                        logits == null || logits.isNull() ? null : floats(logits), top5));
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).floatValue();
        }
        return out;
    }
}
