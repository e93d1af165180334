package io.prefixflow.runtime.structured;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.sampling.Sampler;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.tokenizer.GgufTokenizers;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What structured output adds to one decode step: the sampler with and without the mask, plus the
 * constraint's bookkeeping, over a real vocabulary with random logits (the model's forward pass is not
 * part of it). Also the one-off cost of computing a state's mask the first time it is reached. Not a
 * test: run it by hand, e.g.
 *
 * <pre>
 * mvn -B -ntp -q -pl gpu-runtime -am test-compile
 * java -cp gpu-runtime/target/classes:gpu-runtime/target/test-classes:$(cat cp.txt) \
 *     io.prefixflow.runtime.structured.MaskingBench ../shared/models/vocab/ggml-vocab-llama-spm.gguf [seconds [size]]
 * </pre>
 * With {@code size}, the vocabulary is grown to that many tokens by {@link MergedVocabulary}, e.g.
 * {@code ggml-vocab-gpt-2.gguf 2 128256} for a Llama-3-sized one.
 * <pre>
 * </pre>
 */
public final class MaskingBench {
    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\","
            + "\"maxLength\":40},\"age\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":150},\"tags\":{\"type\":"
            + "\"array\",\"items\":{\"type\":\"string\",\"maxLength\":12},\"maxItems\":4}},\"required\":[\"name\"]}";

    private MaskingBench() {
    }

    public static void main(String[] args) {
        Tokenizer tokenizer = GgufTokenizers.fromGguf(GgufFile.open(Path.of(args[0])));
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2.0;
        if (args.length > 2) {
            // a larger vocabulary than any at hand: the file's tokens plus seeded two-token merges
            tokenizer = new MergedVocabulary(tokenizer, Integer.parseInt(args[2]), 11);
        }
        int vocabSize = tokenizer.vocabSize();
        long start = System.nanoTime();
        StructuredOutput structured = new StructuredOutput(tokenizer, vocabSize,
                tokenizer.eosId() >= 0 ? Set.of(tokenizer.eosId()) : Set.of());
        TokenMasks masks = structured.masks(ResponseFormat.jsonSchema(SCHEMA));
        System.out.printf(Locale.ROOT, "vocabulary %d tokens: trie + schema compile + first mask %.1f ms, %d DFA states%n",
                vocabSize, (System.nanoTime() - start) / 1e6, masks.dfa().numStates());
        long coldStart = System.nanoTime();
        int computed = 0;
        for (int s = 0; s < masks.dfa().numStates(); s++) {
            masks.mask(s);
            computed++;
        }
        System.out.printf(Locale.ROOT, "cold mask computation: %.1f us per DFA state (%d states)%n",
                (System.nanoTime() - coldStart) / 1e3 / computed, computed);
        for (float temperature : new float[] {0f, 1f}) {
            double free = nanosPerStep(tokenizer, masks, temperature, false, seconds);
            double masked = nanosPerStep(tokenizer, masks, temperature, true, seconds);
            System.out.printf(Locale.ROOT, "temperature %.0f: sample %.1f us/step free, %.1f us/step constrained"
                    + " (+%.1f us)%n", temperature, free / 1e3, masked / 1e3, (masked - free) / 1e3);
        }
    }

    /** Best-of-runs mean nanoseconds per step of sample (+ mask and advance when constrained). */
    private static double nanosPerStep(Tokenizer tokenizer, TokenMasks masks, float temperature, boolean constrained,
                                       double seconds) {
        SplittableRandom random = new SplittableRandom(1);
        float[] source = new float[masks.trie().vocabSize()];
        for (int i = 0; i < source.length; i++) {
            source[i] = (float) (random.nextDouble() * 8);
        }
        float[] logits = new float[source.length];
        Sampler sampler = new Sampler();
        SamplingParams params = new SamplingParams(temperature, 1f, 0, 3, 1 << 20, List.of());
        double best = Double.MAX_VALUE;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int step = 0;
        while (System.nanoTime() < deadline) {
            TokenConstraint constraint = new TokenConstraint(masks);
            int previous = -1;
            long t0 = System.nanoTime();
            int steps = 0;
            for (; steps < 64; steps++) {
                System.arraycopy(source, 0, logits, 0, logits.length);
                if (!constrained) {
                    sampler.sample(logits, params, step++);
                    continue;
                }
                int token = sampler.sample(logits, params, step++, constraint.allowedTokens(previous));
                if (constraint.isStopToken(token)) {
                    steps++;
                    break;
                }
                constraint.advance(token);
                previous = token;
                if (constraint.isComplete()) {
                    steps++;
                    break;
                }
            }
            best = Math.min(best, (double) (System.nanoTime() - t0) / steps);
        }
        return best;
    }
}
