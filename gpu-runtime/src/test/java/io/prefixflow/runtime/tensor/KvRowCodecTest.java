package io.prefixflow.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The KV cache's row codecs: decoders bit for bit against their scalar references and against ggml's own
 * {@code dequantize_row_q8_0} (the committed fixture), the Q8_0 encoder against {@link Quantizer}'s, which follows
 * {@code quantize_row_q8_0_ref}.
 */
class KvRowCodecTest {
    @Test
    void f16DecodingIsExactForEveryFiniteValue() {
        short[] halves = new short[1 << 16];
        int n = 0;
        for (int h = 0; h < 1 << 16; h++) {
            if (((h >>> 10) & 0x1f) != 0x1f) {
                halves[n++] = (short) h;
            }
        }
        float[] vector = new float[n];
        float[] scalar = new float[n];
        // odd offsets and a length that is no multiple of the lanes: the tail path too
        KvRowCodec.decodeF16(halves, 1, vector, 1, n - 3);
        KvRowCodec.decodeF16Scalar(halves, 1, scalar, 1, n - 3);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i]), "half " + halves[i]);
        }
    }

    /** A KV block's column: every lane its own byte and its own F16 scale, each product as the row decoder forms it. */
    @Test
    void q8_0LanesDecodeEachValueWithItsOwnScale() {
        SplittableRandom random = new SplittableRandom(11);
        int lanes = io.prefixflow.runtime.kernel.SimdLanes.LANES;
        byte[] q = new byte[lanes + 3];
        short[] scales = new short[lanes + 2];
        for (int i = 0; i < q.length; i++) {
            q[i] = (byte) (random.nextInt(255) - 127);
        }
        for (int i = 0; i < scales.length; i++) {
            // subnormal, normal and tiny F16 scales alike
            scales[i] = Float16.floatToF16((float) Math.scalb(random.nextDouble(), -random.nextInt(24)));
        }
        float[] lanesOut = new float[lanes + 1];
        KvRowCodec.decodeQ8_0Lanes(q, 3, KvRowCodec.f16Lanes(scales, 2), lanesOut, 1);
        for (int j = 0; j < lanes; j++) {
            float expected = q[3 + j] * Float16.f16ToFloat(scales[2 + j]);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(lanesOut[1 + j]), "lane " + j);
        }
    }

    @Test
    void f16EncodingRoundsToNearestAndSaturates() {
        float[] src = {0f, -0f, 1f / 3, -2.5e-6f, 65504f, 70000f, -1e9f, 1e-9f};
        short[] dst = new short[src.length];
        KvRowCodec.encodeF16(src, 0, dst, 0, src.length);
        for (int i = 0; i < src.length; i++) {
            float clamped = Math.max(-Float16.F16_MAX, Math.min(Float16.F16_MAX, src[i]));
            assertEquals(Float16.floatToF16(clamped), dst[i], "value " + src[i]);
        }
        assertEquals(65504f, Float16.f16ToFloat(dst[5]));
        assertEquals(-65504f, Float16.f16ToFloat(dst[6]));
    }

    @Test
    void q8_0EncodingIsLlamaCppsReferenceQuantization() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 8 * KvRowCodec.GROUP;
        for (int trial = 0; trial < 200; trial++) {
            float[] src = new float[n];
            for (int i = 0; i < n; i++) {
                src[i] = (float) (random.nextGaussian() * (random.nextInt(10) == 0 ? 8 : 1));
            }
            if (trial % 10 == 0) {
                java.util.Arrays.fill(src, 0, KvRowCodec.GROUP, 0f); // an all-zero group: scale 0
            }
            byte[] q = new byte[n];
            short[] scales = new short[n / KvRowCodec.GROUP];
            KvRowCodec.encodeQ8_0(src, 0, q, 0, scales, 0, n);
            ByteBuffer ggml = ByteBuffer.allocate(34).order(ByteOrder.LITTLE_ENDIAN);
            for (int g = 0; g < scales.length; g++) {
                Quantizer.quantizeQ8_0Block(src, g * KvRowCodec.GROUP, ggml, 0);
                assertEquals(ggml.getShort(0), scales[g], "trial " + trial + " group " + g + " scale");
                for (int j = 0; j < KvRowCodec.GROUP; j++) {
                    assertEquals(ggml.get(2 + j), q[g * KvRowCodec.GROUP + j], "trial " + trial + " value " + j);
                }
            }
        }
    }

    @Test
    void q8_0DecodingIsBitIdenticalToGgml() throws IOException {
        ByteBuffer fixture = load();
        assertEquals(GgmlType.Q8_0.ggufId(), fixture.getInt(0));
        int rows = fixture.getInt(4);
        int cols = fixture.getInt(8);
        int groups = rows * cols / KvRowCodec.GROUP;
        byte[] q = new byte[rows * cols];
        short[] scales = new short[groups];
        for (int g = 0; g < groups; g++) {
            scales[g] = fixture.getShort(12 + 34 * g);
            for (int j = 0; j < KvRowCodec.GROUP; j++) {
                q[g * KvRowCodec.GROUP + j] = fixture.get(12 + 34 * g + 2 + j);
            }
        }
        float[] vector = new float[rows * cols];
        float[] scalar = new float[rows * cols];
        KvRowCodec.decodeQ8_0(q, 0, scales, 0, vector, 0, rows * cols);
        KvRowCodec.decodeQ8_0Scalar(q, 0, scales, 0, scalar, 0, rows * cols);
        int floatsAt = 12 + 34 * groups;
        float[] expected = new float[rows * cols];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = fixture.getFloat(floatsAt + 4 * i);
        }
        assertArrayEquals(expected, vector);
        assertArrayEquals(expected, scalar);
    }

    private static ByteBuffer load() throws IOException {
        try (InputStream in = KvRowCodecTest.class.getResourceAsStream("ggml/q8_0.bin")) {
            byte[] bytes = in.readAllBytes();
            return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
