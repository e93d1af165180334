package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prefixflow.runtime.tensor.GgmlType;
import org.junit.jupiter.api.Test;

/** The weight bytes and matmul FLOPs per token that benchmarks divide by, against the shape's own arithmetic. */
class ModelWeightsSizeTest {
    private static long weightsPerToken(ModelConfig c) {
        long perLayer = 2L * c.dim() * c.dim() + 2L * c.kvDim() * c.dim() + 3L * c.hiddenDim() * c.dim();
        return perLayer * c.numLayers() + (long) c.vocabSize() * c.dim();
    }

    @Test
    void f32ReadsFourBytesPerWeightAndQ8ZeroThirtyFourPerThirtyTwo() {
        Model f32 = DummyModels.create(DummyShape.TINY, GgmlType.F32, 7);
        long weights = weightsPerToken(f32.config());
        assertEquals(4 * weights, f32.weights().bytesPerToken());
        assertEquals(2 * weights, f32.weights().matmulFlopsPerToken());
        Model q8 = DummyModels.create(DummyShape.TINY, GgmlType.Q8_0, 7);
        assertEquals(weights / 32 * 34, q8.weights().bytesPerToken());
        assertEquals(2 * weights, q8.weights().matmulFlopsPerToken());
    }
}
