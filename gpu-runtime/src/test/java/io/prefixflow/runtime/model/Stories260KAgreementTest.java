package io.prefixflow.runtime.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.tensor.WeightMatrix;
import io.prefixflow.runtime.testing.SharedData;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** stories260K.gguf was converted from stories260K.bin without changing a number: both loaders must agree. */
class Stories260KAgreementTest {
    private static Model bin;
    private static Model gguf;

    @BeforeAll
    static void load() {
        bin = Llama2cCheckpoint.load(SharedData.model("stories260K.bin"), null);
        GgufFile file = GgufFile.open(SharedData.model("stories260K.gguf"));
        try {
            gguf = GgufModelLoader.load(file, null);
        } finally {
            file.close();
        }
    }

    @Test
    void sameShapeExceptTheStoredContextLength() {
        ModelConfig a = bin.config();
        ModelConfig b = gguf.config();
        assertEquals(a, new ModelConfig(b.dim(), b.hiddenDim(), b.numLayers(), b.numHeads(), b.numKvHeads(),
                b.vocabSize(), a.contextLength(), b.rmsEps(), b.ropeTheta(), b.ropeStyle()));
    }

    @Test
    void embeddingAndClassifierRowsAreEqual() {
        assertSameRows(bin.weights().tokenEmbedding(), gguf.weights().tokenEmbedding());
        assertSameRows(bin.weights().classifier(), gguf.weights().classifier());
    }

    @Test
    void normsAreEqual() {
        assertArrayEquals(bin.weights().finalNorm(), gguf.weights().finalNorm());
        for (int l = 0; l < bin.config().numLayers(); l++) {
            assertArrayEquals(bin.weights().layers().get(l).attnNorm(), gguf.weights().layers().get(l).attnNorm());
            assertArrayEquals(bin.weights().layers().get(l).ffnNorm(), gguf.weights().layers().get(l).ffnNorm());
        }
    }

    @Test
    void everyLayerMatrixGivesTheSameProducts() {
        List<Function<LayerWeights, WeightMatrix>> matrices = List.of(LayerWeights::wq, LayerWeights::wk,
                LayerWeights::wv, LayerWeights::wo, LayerWeights::w1, LayerWeights::w2, LayerWeights::w3);
        SplittableRandom random = new SplittableRandom(260);
        for (int l = 0; l < bin.config().numLayers(); l++) {
            for (Function<LayerWeights, WeightMatrix> pick : matrices) {
                WeightMatrix a = pick.apply(bin.weights().layers().get(l));
                WeightMatrix b = pick.apply(gguf.weights().layers().get(l));
                assertEquals(a.rows(), b.rows());
                assertEquals(a.cols(), b.cols());
                int nTokens = 2;
                float[] x = new float[nTokens * a.cols()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                float[] ya = new float[nTokens * a.rows()];
                float[] yb = new float[nTokens * a.rows()];
                a.matmulScalar(x, a.cols(), nTokens, ya, a.rows(), 0, a.rows());
                b.matmulScalar(x, b.cols(), nTokens, yb, b.rows(), 0, b.rows());
                assertArrayEquals(ya, yb, "layer " + l);
            }
        }
    }

    private static void assertSameRows(WeightMatrix a, WeightMatrix b) {
        assertEquals(a.rows(), b.rows());
        assertEquals(a.cols(), b.cols());
        float[] ra = new float[a.cols()];
        float[] rb = new float[b.cols()];
        for (int r = 0; r < a.rows(); r++) {
            a.copyRow(r, ra, 0);
            b.copyRow(r, rb, 0);
            assertArrayEquals(ra, rb, "row " + r);
        }
    }
}
