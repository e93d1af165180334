package io.prefixflow.runtime.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.runtime.model.DummyModels;
import io.prefixflow.runtime.model.DummyShape;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.model.QuantRecipe;
import io.prefixflow.runtime.model.RopeStyle;
import io.prefixflow.runtime.model.TokenizerFactory;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.SequenceChunk;
import io.prefixflow.runtime.sampling.Sampler;
import io.prefixflow.runtime.testing.GreedyReference;
import io.prefixflow.runtime.testing.SharedData;
import io.prefixflow.runtime.tensor.GgmlType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every reference case run inside one batch with all the others gives the tokens it gives alone (which
 * {@link ReferenceGreedyTest} pins to run.c). Sequence i joins the batch at step 2i and prefills in
 * chunks of a few tokens, so most steps mix prefill chunks of some sequences with decodes of others.
 */
class BatchInvarianceTest {
    private static final int BLOCK_SIZE = 16;
    private static final int CONTEXT = 512;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"stories260K.bin", "stories260K.gguf"})
    void everyCaseInOneMixedBatchMatchesAlone(String file) {
        Model model = ModelLoader.load(SharedData.model(file).toString(), null, null, TokenizerFactory.none())
                .withContextLength(CONTEXT);
        List<GreedyReference.Case> cases = GreedyReference.cases();
        int blocksPerSeq = CONTEXT / BLOCK_SIZE;
        int numSeqs = cases.size();
        try (CpuModelRunner runner = new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE,
                blocksPerSeq * numSeqs, 2)) {
            int[][] tables = new int[numSeqs][blocksPerSeq];
            for (int s = 0; s < numSeqs; s++) {
                // Interleave the sequences' blocks so that no sequence's blocks are contiguous.
                for (int i = 0; i < blocksPerSeq; i++) {
                    tables[s][i] = i * numSeqs + (numSeqs - 1 - s);
                }
            }
            int[] prefilled = new int[numSeqs];
            List<List<Integer>> generated = new ArrayList<>();
            boolean[] done = new boolean[numSeqs];
            for (int s = 0; s < numSeqs; s++) {
                generated.add(new ArrayList<>());
            }
            int mixedSteps = 0;
            for (int step = 0; !allTrue(done); step++) {
                List<SequenceChunk> batch = new ArrayList<>();
                List<Integer> members = new ArrayList<>();
                boolean anyPrefill = false;
                boolean anyDecode = false;
                for (int s = 0; s < numSeqs; s++) {
                    if (done[s] || step < 2 * s) {
                        continue;
                    }
                    int[] prompt = cases.get(s).promptIds();
                    if (prefilled[s] < prompt.length) {
                        int chunk = Math.min(prompt.length - prefilled[s], 3 + s);
                        batch.add(new SequenceChunk(Arrays.copyOfRange(prompt, prefilled[s], prefilled[s] + chunk),
                                prefilled[s], tables[s]));
                        prefilled[s] += chunk;
                        anyPrefill = true;
                    } else {
                        List<Integer> out = generated.get(s);
                        batch.add(new SequenceChunk(new int[] {out.get(out.size() - 1)},
                                prompt.length + out.size() - 1, tables[s]));
                        anyDecode = true;
                    }
                    members.add(s);
                }
                if (anyPrefill && anyDecode) {
                    mixedSteps++;
                }
                float[][] logits = runner.forward(new ForwardBatch(batch));
                for (int i = 0; i < members.size(); i++) {
                    int s = members.get(i);
                    if (prefilled[s] < cases.get(s).promptIds().length) {
                        continue;
                    }
                    int token = Sampler.argmax(logits[i]);
                    generated.get(s).add(token);
                    if (token == 1 || generated.get(s).size() == cases.get(s).generatedIds().length) {
                        done[s] = true;
                    }
                }
            }
            assertTrue(mixedSteps > 10, "the batch should mix prefill and decode; mixed steps: " + mixedSteps);
            for (int s = 0; s < numSeqs; s++) {
                int[] got = generated.get(s).stream().mapToInt(Integer::intValue).toArray();
                assertArrayEquals(cases.get(s).generatedIds(), got, "case " + cases.get(s).id() + " in a batch");
            }
        }
    }

    /** Every weight type: three random prompts decoded together give each one's logits alone, bit for bit. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(GgmlType.class)
    void everyWeightTypeIsBatchInvariant(GgmlType type) {
        checkBatchInvariant(ModelLoader.load("dummy:tiny", null, type, TokenizerFactory.none()), type.name(),
                type.ordinal());
    }

    /**
     * The K-quant mixes on a shape whose widths are whole 256-value blocks, so that the forward pass runs
     * the Q4_K/Q5_K/Q6_K kernels themselves (on dummy:tiny every K-quant falls back to a 32-value type).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"q4_k_m", "q5_k_m"})
    void kQuantMixesAreBatchInvariant(String mix) {
        DummyShape shape = new DummyShape("k256",
                new ModelConfig(256, 512, 3, 4, 2, 300, 64, 1e-5f, 10_000f, RopeStyle.ADJACENT_PAIRS), false);
        checkBatchInvariant(DummyModels.create(shape, QuantRecipe.parse(mix), 5), mix, 17);
    }

    private static void checkBatchInvariant(Model model, String label, long seed) {
        int vocab = model.config().vocabSize();
        SplittableRandom random = new SplittableRandom(seed);
        int[][] prompts = {random.ints(37, 0, vocab).toArray(), random.ints(5, 0, vocab).toArray(),
                random.ints(20, 0, vocab).toArray()};
        int blocksPerSeq = model.config().contextLength() / BLOCK_SIZE;
        try (CpuModelRunner runner = new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE,
                2 * blocksPerSeq * prompts.length, 2)) {
            float[][] alone = new float[prompts.length][];
            List<SequenceChunk> batch = new ArrayList<>();
            for (int s = 0; s < prompts.length; s++) {
                int[] aloneTable = new int[blocksPerSeq];
                int[] batchTable = new int[blocksPerSeq];
                for (int i = 0; i < blocksPerSeq; i++) {
                    aloneTable[i] = s * blocksPerSeq + i;
                    batchTable[i] = (prompts.length + s) * blocksPerSeq + i;
                }
                alone[s] = runner.forward(ForwardBatch.of(new SequenceChunk(prompts[s], 0, aloneTable)))[0];
                batch.add(new SequenceChunk(prompts[s], 0, batchTable));
            }
            float[][] together = runner.forward(new ForwardBatch(batch));
            for (int s = 0; s < prompts.length; s++) {
                assertArrayEquals(alone[s], together[s], 0f, label + " sequence " + s);
            }
        }
    }

    private static boolean allTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (!f) {
                return false;
            }
        }
        return true;
    }
}
