package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prefixflow.kv.pool.BlockPool;
import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.generate.GenerationResult;
import io.prefixflow.runtime.generate.Generator;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.model.TokenizerFactory;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.runner.SequenceChunk;
import io.prefixflow.runtime.sampling.SamplingParams;
import io.prefixflow.runtime.sampling.Sampler;
import io.prefixflow.runtime.testing.GreedyReference;
import io.prefixflow.runtime.testing.SharedData;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA runner on stories260K against run.c's greedy references and the CPU runner: with F32 weights on
 * the GPU every generated id equal and the first step's logits within the CPU test's 1e-4; with BF16 weights
 * the logits within the rounding BF16 allows, and greedy on the device equal to greedy on the copied logits.
 */
@Tag("gpu")
class CudaReferenceGreedyTest {
    private static final float LOGIT_TOLERANCE = 1e-4f;
    /** BF16 weights and projection inputs: about 2^-8 relative per operand, accumulated over a few layers. */
    private static final double BF16_RELATIVE_TOLERANCE = 5e-2;
    private static final int BLOCK_SIZE = 16;
    private static final int CONTEXT = 512;

    static Stream<Arguments> cases() {
        List<GreedyReference.Case> cases = GreedyReference.cases();
        return Stream.of("stories260K.bin", "stories260K.gguf")
                .flatMap(file -> cases.stream().map(c -> Arguments.of(file, c)));
    }

    @BeforeEach
    void requireGpu() {
        GpuTestSupport.assumeGpu();
    }

    private static Model load(String file) {
        return ModelLoader.load(SharedData.model(file).toString(), null, null, TokenizerFactory.none())
                .withContextLength(CONTEXT);
    }

    private static int[] identityTable() {
        int[] table = new int[CONTEXT / BLOCK_SIZE];
        for (int i = 0; i < table.length; i++) {
            table[i] = i;
        }
        return table;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void greedyIdsEqualRunCWithF32Weights(String file, GreedyReference.Case reference) {
        Model model = load(file);
        int numBlocks = CONTEXT / BLOCK_SIZE;
        try (CudaModelRunner runner = new CudaModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 0,
                WeightPrecision.F32)) {
            Generator generator = new Generator(model, runner, new BlockPool(numBlocks), 7);
            GenerationResult result = generator.generate(reference.promptIds(),
                    SamplingParams.greedy(reference.generatedIds().length), (token, delta) -> { });
            assertArrayEquals(reference.generatedIds(), result.tokenIds(), "generated ids of " + reference.id());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void firstStepLogitsMatchTheCpuWithF32Weights(String file, GreedyReference.Case reference) {
        Model model = load(file);
        int numBlocks = CONTEXT / BLOCK_SIZE;
        ForwardBatch batch = ForwardBatch.of(new SequenceChunk(reference.promptIds(), 0, identityTable()));
        float[] cpu;
        try (ModelRunner runner = new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 2)) {
            cpu = runner.forward(batch)[0];
        }
        try (CudaModelRunner runner = new CudaModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 0,
                WeightPrecision.F32)) {
            float[] gpu = runner.forward(batch)[0];
            assertEquals(cpu.length, gpu.length);
            for (int i = 0; i < cpu.length; i++) {
                assertEquals(cpu[i], gpu[i], LOGIT_TOLERANCE, reference.id() + " logit " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void bf16LogitsStayCloseAndDeviceGreedyAgrees(String file, GreedyReference.Case reference) {
        Model model = load(file);
        int numBlocks = CONTEXT / BLOCK_SIZE;
        ForwardBatch batch = ForwardBatch.of(new SequenceChunk(reference.promptIds(), 0, identityTable()));
        float[] cpu;
        try (ModelRunner runner = new CpuModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 2)) {
            cpu = runner.forward(batch)[0];
        }
        try (CudaModelRunner runner = new CudaModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 0,
                WeightPrecision.BF16)) {
            float[] gpu = runner.forward(batch)[0];
            double[] want = new double[cpu.length];
            for (int i = 0; i < cpu.length; i++) {
                want[i] = cpu[i];
            }
            double error = GpuTestSupport.relativeMaxError(gpu, want);
            assertTrue(error < BF16_RELATIVE_TOLERANCE, reference.id() + " BF16 relative max error " + error);
            int[] greedy = runner.forwardGreedy(batch);
            assertEquals(Sampler.argmax(gpu), greedy[0], "argmax on the device vs on the copied logits");
        }
    }
}
