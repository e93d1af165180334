package io.prefixflow.runtime.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.generate.GenerationResult;
import io.prefixflow.runtime.generate.Generator;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.model.TokenizerFactory;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.SequenceChunk;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.testing.GreedyReference;
import io.prefixflow.runtime.testing.SharedData;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CPU runner against run.c: from the reference prompt ids, every greedy generated id identical and
 * the first step's logits within 1e-4, for the llama2.c checkpoint and the GGUF conversion of it.
 */
class ReferenceGreedyTest {
    /** All-FP32 math in another summation order: llama.cpp's F32 path lands within 2e-5 of run.c. */
    private static final float LOGIT_TOLERANCE = 1e-4f;
    private static final int BLOCK_SIZE = 16;
    /** run.c's seq_len; the GGUF stores 128 (the converter's default), as llama.cpp's n_ctx 512 overrides. */
    private static final int CONTEXT = 512;

    static Stream<Arguments> cases() {
        List<GreedyReference.Case> cases = GreedyReference.cases();
        return Stream.of("stories260K.bin", "stories260K.gguf")
                .flatMap(file -> cases.stream().map(c -> Arguments.of(file, c)));
    }

    private static Model load(String file) {
        return ModelLoader.load(SharedData.model(file).toString(), null, null, TokenizerFactory.none())
                .withContextLength(CONTEXT);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void greedyIdsEqualRunC(String file, GreedyReference.Case reference) {
        Model model = load(file);
        int numBlocks = CONTEXT / BLOCK_SIZE;
        try (CpuModelRunner runner = new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 2)) {
            Generator generator = new Generator(model, runner, new BlockPool(numBlocks), 7);
            GenerationResult result = generator.generate(reference.promptIds(),
                    SamplingParams.greedy(reference.generatedIds().length), (token, delta) -> { });
            assertArrayEquals(reference.generatedIds(), result.tokenIds(), "generated ids of " + reference.id());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void firstStepLogitsWithinTolerance(String file, GreedyReference.Case reference) {
        Model model = load(file);
        int numBlocks = CONTEXT / BLOCK_SIZE;
        try (CpuModelRunner runner = new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 2)) {
            int[] table = new int[numBlocks];
            for (int i = 0; i < numBlocks; i++) {
                table[i] = i;
            }
            float[] logits = runner.forward(ForwardBatch.of(new SequenceChunk(reference.promptIds(), 0, table)))[0];
            if (reference.firstStepLogits() != null) {
                assertEquals(reference.firstStepLogits().length, logits.length);
                for (int i = 0; i < logits.length; i++) {
                    assertEquals(reference.firstStepLogits()[i], logits[i], LOGIT_TOLERANCE,
                            reference.id() + " logit " + i);
                }
            }
            float[][] top5 = reference.top5PerStep().get(0);
            assertTrue(top5.length == 5);
            for (float[] pair : top5) {
                assertEquals(pair[1], logits[(int) pair[0]], LOGIT_TOLERANCE, reference.id() + " top-5 id " + (int) pair[0]);
            }
        }
    }
}
