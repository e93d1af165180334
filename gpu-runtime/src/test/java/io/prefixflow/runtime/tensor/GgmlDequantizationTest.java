package io.prefixflow.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PrefixFlow's dequantization against ggml's own, bit for bit, on fixtures that ggml wrote: blocks from
 * {@code ggml_quantize_chunk} on seeded random rows and blocks of random bytes, each with
 * {@code dequantize_row_<type>}'s floats (see {@code src/test/scripts/make_ggml_fixtures.py}; the
 * fixtures are committed, so this test needs neither npm nor ggml).
 *
 * <p>Both decoders are checked: the vector one that fills the kernels' panels ({@code copyRow}) and the
 * scalar reference ({@code matmulScalar}'s element decoder).
 */
class GgmlDequantizationTest {

    @ParameterizedTest
    // every block type; a new one without a fixture fails here instead of going untested
    @EnumSource(value = GgmlType.class, mode = EnumSource.Mode.EXCLUDE, names = {"F32", "F16", "BF16"})
    void dequantizationIsBitIdenticalToGgml(GgmlType type) throws IOException {
        ByteBuffer fixture = load(type);
        assertEquals(type.ggufId(), fixture.getInt(0), "fixture type id");
        int rows = fixture.getInt(4);
        int cols = fixture.getInt(8);
        int matrixBytes = (int) (rows * type.bytesFor(cols));
        int floatsAt = 12 + matrixBytes;
        assertEquals(floatsAt + 4L * rows * cols, fixture.capacity(), "fixture size");

        WeightMatrix w = WeightMatrices.of(type, fixture, 12, rows, cols);
        float[] vector = new float[cols];
        float[] scalar = new float[cols];
        for (int r = 0; r < rows; r++) {
            w.copyRow(r, vector, 0);
            if (w instanceof BlockWeightMatrix block) {
                block.copyRowScalar(r, scalar, 0);
            } else {
                scalarRow(w, r, scalar);
            }
            for (int c = 0; c < cols; c++) {
                int ggml = Float.floatToRawIntBits(fixture.getFloat(floatsAt + 4 * (r * cols + c)));
                if (!sameValue(type, vector[c], ggml) || !sameValue(type, scalar[c], ggml)) {
                    fail(type + " row " + r + " column " + c + ": ggml " + Float.intBitsToFloat(ggml) + ", vector "
                            + vector[c] + ", scalar " + scalar[c]);
                }
            }
        }
    }

    /**
     * Bit-identical; only for Q4_0, which predates this oracle, a zero may differ in sign: its kernel forms
     * {@code nibble * d + (-8 * d)}, which is +0 where ggml's {@code (nibble - 8) * d} is -0 for a
     * negative d. A signed zero weight changes no product sum.
     */
    private static boolean sameValue(GgmlType type, float actual, int ggmlBits) {
        int bits = Float.floatToRawIntBits(actual);
        return bits == ggmlBits || (type == GgmlType.Q4_0 && actual == 0f && Float.intBitsToFloat(ggmlBits) == 0f);
    }

    /** Row {@code r} through the scalar product with one-hot inputs: exact, as every other term is 0 * w. */
    private static void scalarRow(WeightMatrix w, int r, float[] dst) {
        int cols = w.cols();
        float[] x = new float[cols * cols];
        for (int c = 0; c < cols; c++) {
            x[c * cols + c] = 1f;
        }
        float[] y = new float[cols * w.rows()];
        w.matmulScalar(x, cols, cols, y, w.rows(), r, r + 1);
        for (int c = 0; c < cols; c++) {
            dst[c] = y[c * w.rows() + r];
        }
    }

    private static ByteBuffer load(GgmlType type) throws IOException {
        String name = "ggml/" + type.name().toLowerCase(Locale.ROOT) + ".bin";
        try (InputStream in = GgmlDequantizationTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "missing fixture " + name + " (make it with src/test/scripts/make_ggml_fixtures.py)");
            byte[] bytes = in.readAllBytes();
            return ByteBuffer.allocateDirect(bytes.length).order(ByteOrder.LITTLE_ENDIAN).put(bytes).flip();
        }
    }
}
