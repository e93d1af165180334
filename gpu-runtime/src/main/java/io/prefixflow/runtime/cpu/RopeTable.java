package io.prefixflow.runtime.cpu;

import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.model.RopeStyle;

/**
 * Precomputed RoPE rotations: for each position and each of a head's {@code headSize / 2} pairs, the
 * cosine and sine of {@code position * theta^(-2i / headSize) / freqFactor[i]}.
 */
final class RopeTable {
    private final int halfHead;
    private final RopeStyle style;
    private final float[] cos;
    private final float[] sin;

    /** @param freqFactors divisors of each pair's frequency (Llama 3.1+ scaling), or null */
    RopeTable(ModelConfig config, int maxPositions, float[] freqFactors) {
        this.halfHead = config.headSize() / 2;
        this.style = config.ropeStyle();
        this.cos = new float[maxPositions * halfHead];
        this.sin = new float[maxPositions * halfHead];
        for (int i = 0; i < halfHead; i++) {
            // As run.c: the frequency in float, then the angle in float.
            float freq = (float) (1.0 / Math.pow(config.ropeTheta(), (2 * i) / (double) config.headSize()));
            if (freqFactors != null) {
                freq /= freqFactors[i];
            }
            for (int p = 0; p < maxPositions; p++) {
                float angle = p * freq;
                cos[p * halfHead + i] = (float) Math.cos(angle);
                sin[p * halfHead + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Rotates {@code numHeads} heads of {@code v} starting at {@code offset} for {@code position}. */
    void rotate(float[] v, int offset, int numHeads, int position) {
        int headSize = 2 * halfHead;
        int table = position * halfHead;
        for (int h = 0; h < numHeads; h++) {
            int head = offset + h * headSize;
            for (int i = 0; i < halfHead; i++) {
                int a = style == RopeStyle.ADJACENT_PAIRS ? head + 2 * i : head + i;
                int b = style == RopeStyle.ADJACENT_PAIRS ? a + 1 : a + halfHead;
                float c = cos[table + i];
                float s = sin[table + i];
                float v0 = v[a];
                float v1 = v[b];
                v[a] = v0 * c - v1 * s;
                v[b] = v0 * s + v1 * c;
            }
        }
    }
}
