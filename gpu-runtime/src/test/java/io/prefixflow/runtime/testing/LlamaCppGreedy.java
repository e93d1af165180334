package io.prefixflow.runtime.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * llama.cpp's greedy decoding of a GGUF file as {@code bench/llamacpp/greedy.mjs} writes it: per prompt the prompt
 * ids, the generated ids and per step the top logits (all logits when the file has them), for each thread count.
 *
 * @param model     the GGUF file name the run used
 * @param kvCache   llama.cpp's KV cache type ({@code f32} or {@code f16})
 * @param threads   the thread count of each run, in {@code runs} order
 * @param runs      per run, the cases in prompt order
 */
public record LlamaCppGreedy(String model, String kvCache, int[] threads, List<List<Case>> runs) {

    /**
     * One prompt of one run.
     *
     * @param prompt    the prompt text
     * @param promptIds the prompt ids llama.cpp evaluated (BOS first where the vocab adds it)
     * @param tokens    the generated ids, one per step
     * @param steps     per step the logits llama.cpp saw before choosing {@code tokens[step]}
     */
    public record Case(String prompt, int[] promptIds, int[] tokens, List<StepLogits> steps) {
        @Override
        public String toString() {
            return prompt.isEmpty() ? "<empty prompt>" : prompt;
        }
    }

    /**
     * @param topIds    the ids of the largest logits, largest first
     * @param topLogits their logits
     * @param all       every logit, or null when the file holds the top ones only
     */
    public record StepLogits(int[] topIds, float[] topLogits, float[] all) {
    }

    /** The first run's cases (the file's first thread count; greedy.mjs runs 1 thread first). */
    public List<Case> reference() {
        return runs.get(0);
    }

    /**
     * The number of leading generated tokens of case {@code index} that every run (thread count) agrees on: only
     * there is llama.cpp's own choice unambiguous.
     */
    public int agreeingPrefix(int index) {
        int[] first = runs.get(0).get(index).tokens();
        int n = 0;
        outer:
        while (n < first.length) {
            for (List<Case> run : runs) {
                int[] other = run.get(index).tokens();
                if (n >= other.length || other[n] != first[n]) {
                    break outer;
                }
            }
            n++;
        }
        return n;
    }

    public static LlamaCppGreedy read(Path file) {
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            List<List<Case>> runs = new ArrayList<>();
            JsonNode runNodes = root.get("runs");
            int[] threads = new int[runNodes.size()];
            for (int r = 0; r < threads.length; r++) {
                JsonNode run = runNodes.get(r);
                threads[r] = run.get("threads_requested").asInt();
                List<Case> cases = new ArrayList<>();
                for (JsonNode c : run.get("cases")) {
                    List<StepLogits> steps = new ArrayList<>();
                    for (JsonNode s : c.get("steps")) {
                        JsonNode top = s.get("top");
                        int[] ids = new int[top.size()];
                        float[] logits = new float[top.size()];
                        for (int i = 0; i < ids.length; i++) {
                            ids[i] = top.get(i).get(0).asInt();
                            logits[i] = top.get(i).get(1).floatValue();
                        }
                        JsonNode all = s.get("logits_f32_base64");
                        steps.add(new StepLogits(ids, logits, all == null ? null : floats(all.asText())));
                    }
                    cases.add(new Case(c.get("prompt").asText(), ints(c.get("prompt_ids")), ints(c.get("tokens")),
                            steps));
                }
                runs.add(cases);
            }
            return new LlamaCppGreedy(root.get("model").asText(), root.get("settings").get("kv_cache").asText(),
                    threads, runs);
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

    private static float[] floats(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(out);
        return out;
    }
}
