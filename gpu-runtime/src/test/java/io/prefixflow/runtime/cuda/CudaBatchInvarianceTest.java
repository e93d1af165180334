package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.model.TokenizerFactory;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.SequenceChunk;
import io.prefixflow.runtime.testing.GreedyReference;
import io.prefixflow.runtime.testing.SharedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A sequence's logits do not depend on its batch mates on the GPU either: every reference prompt prefilled
 * alone, then all of them in one batch with a decode step of another sequence mixed in, give bit-identical
 * logits (no split-K, no batch-size-dependent kernel choice).
 */
@Tag("gpu")
class CudaBatchInvarianceTest {
    private static final int BLOCK_SIZE = 16;
    private static final int CONTEXT = 512;

    @BeforeEach
    void requireGpu() {
        GpuTestSupport.assumeGpu();
    }

    @ParameterizedTest
    @EnumSource(WeightPrecision.class)
    void everyCaseAloneEqualsItInsideAMixedBatch(WeightPrecision precision) {
        Model model = ModelLoader.load(SharedData.model("stories260K.bin").toString(), null, null,
                TokenizerFactory.none()).withContextLength(CONTEXT);
        List<GreedyReference.Case> cases = GreedyReference.cases();
        int blocksPerSeq = CONTEXT / BLOCK_SIZE;
        int numBlocks = blocksPerSeq * (cases.size() + 1);
        try (CudaModelRunner runner = new CudaModelRunner(model.config(), model.weights(), BLOCK_SIZE, numBlocks, 0,
                precision)) {
            List<float[]> alone = new ArrayList<>();
            for (GreedyReference.Case c : cases) {
                alone.add(runner.forward(ForwardBatch.of(new SequenceChunk(c.promptIds(), 0, table(0, blocksPerSeq))))[0]);
            }
            int[] other = table(cases.size(), blocksPerSeq);
            runner.forward(ForwardBatch.of(new SequenceChunk(new int[] {1, 2, 3}, 0, other)));
            List<SequenceChunk> mixed = new ArrayList<>();
            mixed.add(new SequenceChunk(new int[] {4}, 3, other));
            for (int i = 0; i < cases.size(); i++) {
                mixed.add(new SequenceChunk(cases.get(i).promptIds(), 0, table(i, blocksPerSeq)));
            }
            float[][] together = runner.forward(new ForwardBatch(mixed));
            for (int i = 0; i < cases.size(); i++) {
                assertArrayEquals(alone.get(i), together[i + 1], cases.get(i).id());
            }
        }
    }

    private static int[] table(int sequence, int blocksPerSeq) {
        int[] table = new int[blocksPerSeq];
        for (int i = 0; i < blocksPerSeq; i++) {
            table[i] = sequence * blocksPerSeq + i;
        }
        return table;
    }
}
