package io.prefixflow.runtime.cuda;

import io.prefixflow.runtime.model.LayerWeights;
import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.model.ModelWeights;
import io.prefixflow.runtime.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Every weight of a model on the GPU, plus the RoPE tables: matrices in one {@link WeightPrecision}, norm
 * weights and biases in F32. A classifier tied to the token embedding is uploaded once.
 */
final class DeviceModel implements AutoCloseable {
    /** One block's device weights; a bias is null where the model has none. */
    record Layer(DeviceBuffer attnNorm, DeviceMatrix wq, DeviceMatrix wk, DeviceMatrix wv, DeviceMatrix wo,
                 DeviceBuffer bq, DeviceBuffer bk, DeviceBuffer bv,
                 DeviceBuffer ffnNorm, DeviceMatrix w1, DeviceMatrix w2, DeviceMatrix w3) {
    }

    private final List<DeviceBuffer> owned = new ArrayList<>();
    final DeviceMatrix tokenEmbedding;
    final DeviceMatrix classifier;
    final DeviceBuffer finalNorm;
    final List<Layer> layers;
    /** (contextLength, headSize / 2) cosines and sines, computed as the CPU backend computes them. */
    final DeviceBuffer ropeCos;
    final DeviceBuffer ropeSin;
    final long weightBytes;

    DeviceModel(ModelConfig config, ModelWeights weights, WeightPrecision precision) {
        try {
            tokenEmbedding = own(DeviceMatrix.upload(weights.tokenEmbedding(), precision));
            classifier = weights.classifier() == weights.tokenEmbedding()
                    ? tokenEmbedding : own(DeviceMatrix.upload(weights.classifier(), precision));
            finalNorm = vector(weights.finalNorm());
            List<Layer> uploaded = new ArrayList<>();
            long bytes = tokenEmbedding.sizeBytes() + (classifier == tokenEmbedding ? 0 : classifier.sizeBytes());
            for (LayerWeights w : weights.layers()) {
                Layer layer = new Layer(vector(w.attnNorm()),
                        matrix(w.wq(), precision), matrix(w.wk(), precision),
                        matrix(w.wv(), precision), matrix(w.wo(), precision),
                        vectorOrNull(w.bq()), vectorOrNull(w.bk()), vectorOrNull(w.bv()),
                        vector(w.ffnNorm()), matrix(w.w1(), precision), matrix(w.w2(), precision),
                        matrix(w.w3(), precision));
                bytes += layer.wq().sizeBytes() + layer.wk().sizeBytes() + layer.wv().sizeBytes()
                        + layer.wo().sizeBytes() + layer.w1().sizeBytes() + layer.w2().sizeBytes()
                        + layer.w3().sizeBytes();
                uploaded.add(layer);
            }
            layers = List.copyOf(uploaded);
            weightBytes = bytes;
            float[][] tables = ropeTables(config);
            ropeCos = vector(tables[0]);
            ropeSin = vector(tables[1]);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * RoPE rotations for every position below the context length: {@code [position][pair]}, angle
     * {@code position * theta^(-2 pair / headSize)} with the frequency and the angle in float, as run.c.
     */
    static float[][] ropeTables(ModelConfig config) {
        int half = config.headSize() / 2;
        int positions = config.contextLength();
        float[] cos = new float[positions * half];
        float[] sin = new float[positions * half];
        for (int i = 0; i < half; i++) {
            float freq = (float) (1.0 / Math.pow(config.ropeTheta(), (2 * i) / (double) config.headSize()));
            for (int p = 0; p < positions; p++) {
                float angle = p * freq;
                cos[p * half + i] = (float) Math.cos(angle);
                sin[p * half + i] = (float) Math.sin(angle);
            }
        }
        return new float[][] {cos, sin};
    }

    private DeviceMatrix matrix(WeightMatrix w, WeightPrecision precision) {
        return own(DeviceMatrix.upload(w, precision));
    }

    private DeviceBuffer vector(float[] values) {
        DeviceBuffer buffer = own(new DeviceBuffer((long) values.length * Float.BYTES));
        buffer.upload(values, values.length, 0);
        return buffer;
    }

    private DeviceBuffer vectorOrNull(float[] values) {
        return values == null ? null : vector(values);
    }

    private DeviceMatrix own(DeviceMatrix m) {
        owned.add(m.buffer());
        return m;
    }

    private DeviceBuffer own(DeviceBuffer b) {
        owned.add(b);
        return b;
    }

    @Override
    public void close() {
        for (DeviceBuffer buffer : owned) {
            buffer.close();
        }
        owned.clear();
    }
}
