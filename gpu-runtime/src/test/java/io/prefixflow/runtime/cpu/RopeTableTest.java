package io.prefixflow.runtime.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.model.RopeStyle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RoPE against the rotation written out by hand, with and without Llama 3.1-style frequency factors. */
class RopeTableTest {
    private static final int HEAD_SIZE = 8;

    @ParameterizedTest
    @EnumSource(RopeStyle.class)
    void rotatesEachPairByPositionTimesScaledFrequency(RopeStyle style) {
        ModelConfig config = new ModelConfig(HEAD_SIZE * 2, 32, 1, 2, 1, 10, 64, 1e-5f, 500000f, style);
        float[] factors = {1f, 2f, 4f, 8f};
        for (float[] f : new float[][] {null, factors}) {
            RopeTable table = new RopeTable(config, 64, f);
            float[] v = new float[2 * HEAD_SIZE];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) Math.sin(i + 1.0);
            }
            float[] expected = v.clone();
            int position = 37;
            for (int head = 0; head < 2; head++) {
                for (int i = 0; i < HEAD_SIZE / 2; i++) {
                    double freq = Math.pow(500000.0, -2.0 * i / HEAD_SIZE) / (f == null ? 1 : f[i]);
                    double angle = position * freq;
                    int a = head * HEAD_SIZE + (style == RopeStyle.ADJACENT_PAIRS ? 2 * i : i);
                    int b = style == RopeStyle.ADJACENT_PAIRS ? a + 1 : a + HEAD_SIZE / 2;
                    expected[a] = (float) (v[a] * Math.cos(angle) - v[b] * Math.sin(angle));
                    expected[b] = (float) (v[a] * Math.sin(angle) + v[b] * Math.cos(angle));
                }
            }
            table.rotate(v, 0, 2, position);
            for (int i = 0; i < v.length; i++) {
                // Angles are formed in float as run.c does: |error| <= position * ulp(freq) ~ 1e-5.
                assertEquals(expected[i], v[i], 1e-4f, "element " + i + (f == null ? "" : " with factors"));
            }
        }
    }
}
