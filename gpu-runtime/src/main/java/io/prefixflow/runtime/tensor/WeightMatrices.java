package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Creates {@link WeightMatrix} views over stored bytes and encodes floats into a storage type. */
public final class WeightMatrices {
    private WeightMatrices() {
    }

    /**
     * The register tile the batched products run on this machine, chosen at startup from the vector species,
     * e.g. {@code "4x5 rows x tokens, 16 floats per vector"}.
     */
    public static String batchTile() {
        return PanelTiles.TILE_ROWS + "x" + PanelTiles.TILE_TOKENS + " rows x tokens, "
                + SimdLanes.LANES + " floats per vector";
    }

    /**
     * A {@code rows x cols} matrix of {@code type} starting at {@code byteOffset} of little-endian
     * {@code data}, read in place (the buffer's own position, limit and order are not used or changed).
     *
     * @throws IllegalArgumentException when the matrix does not fit in {@code data}, or {@code cols} is
     *     not a multiple of the type's block size
     */
    public static WeightMatrix of(GgmlType type, ByteBuffer data, int byteOffset, int rows, int cols) {
        switch (type) {
            case F32:
                return new F32WeightMatrix(data, byteOffset, rows, cols);
            case F16:
                return new F16WeightMatrix(data, byteOffset, rows, cols);
            case BF16:
                return new BF16WeightMatrix(data, byteOffset, rows, cols);
            case Q8_0:
                return new Q8_0WeightMatrix(data, byteOffset, rows, cols);
            case Q4_0:
                return new Q4_0WeightMatrix(data, byteOffset, rows, cols);
            case Q4_1:
                return new Q4_1WeightMatrix(data, byteOffset, rows, cols);
            case Q5_0:
                return new Q5_0WeightMatrix(data, byteOffset, rows, cols);
            case Q5_1:
                return new Q5_1WeightMatrix(data, byteOffset, rows, cols);
            case Q2_K:
                return new Q2_KWeightMatrix(data, byteOffset, rows, cols);
            case Q3_K:
                return new Q3_KWeightMatrix(data, byteOffset, rows, cols);
            case Q4_K:
                return new Q4_KWeightMatrix(data, byteOffset, rows, cols);
            case Q5_K:
                return new Q5_KWeightMatrix(data, byteOffset, rows, cols);
            case Q6_K:
                return new Q6_KWeightMatrix(data, byteOffset, rows, cols);
            default:
                throw new IllegalArgumentException("no WeightMatrix for type " + type);
        }
    }

    /**
     * Encodes {@code values} (row-major) into {@code type}'s bytes in a new little-endian direct buffer,
     * as llama.cpp's reference conversions do: F16/BF16 round to nearest even, the 32-value types
     * quantize each block like {@code quantize_row_<type>_ref}. The K-quants use {@link KQuantizer}'s
     * simpler scale choice: valid blocks, not byte-identical to ggml's.
     *
     * @throws IllegalArgumentException when {@code values.length} is not a multiple of the block size
     */
    public static ByteBuffer encode(GgmlType type, float[] values) {
        long sizeBytes = type.bytesFor(values.length);
        if (sizeBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(values.length + " values of " + type + " exceed one ByteBuffer");
        }
        ByteBuffer out = ByteBuffer.allocateDirect((int) sizeBytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32:
                out.asFloatBuffer().put(values);
                break;
            case F16:
                for (int i = 0; i < values.length; i++) {
                    out.putShort(i * Short.BYTES, Float16.floatToF16(values[i]));
                }
                break;
            case BF16:
                for (int i = 0; i < values.length; i++) {
                    out.putShort(i * Short.BYTES, Float16.floatToBf16(values[i]));
                }
                break;
            case Q8_0:
                for (int b = 0; b * 32 < values.length; b++) {
                    Quantizer.quantizeQ8_0Block(values, b * 32, out, b * type.blockBytes());
                }
                break;
            case Q4_0:
                for (int b = 0; b * 32 < values.length; b++) {
                    Quantizer.quantizeQ4_0Block(values, b * 32, out, b * type.blockBytes());
                }
                break;
            default:
                encodeBlocks(type, values, out);
                break;
        }
        return out;
    }

    private static void encodeBlocks(GgmlType type, float[] values, ByteBuffer out) {
        int blockValues = type.blockSize();
        for (int b = 0; b * blockValues < values.length; b++) {
            int src = b * blockValues;
            int dst = b * type.blockBytes();
            switch (type) {
                case Q4_1 -> Quantizer.quantizeQ4_1Block(values, src, out, dst);
                case Q5_0 -> Quantizer.quantizeQ5_0Block(values, src, out, dst);
                case Q5_1 -> Quantizer.quantizeQ5_1Block(values, src, out, dst);
                case Q2_K -> KQuantizer.quantizeQ2_KBlock(values, src, out, dst);
                case Q3_K -> KQuantizer.quantizeQ3_KBlock(values, src, out, dst);
                case Q4_K -> KQuantizer.quantizeQ4_KBlock(values, src, out, dst);
                case Q5_K -> KQuantizer.quantizeQ5_KBlock(values, src, out, dst);
                case Q6_K -> KQuantizer.quantizeQ6_KBlock(values, src, out, dst);
                default -> throw new IllegalArgumentException("cannot encode type " + type);
            }
        }
    }
}
