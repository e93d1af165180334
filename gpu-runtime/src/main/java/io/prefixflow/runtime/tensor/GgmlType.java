package io.prefixflow.runtime.tensor;

/**
 * Storage types of weight tensors, numbered as GGUF numbers them ({@code ggml_type}).
 *
 * <p>A quantized type stores values in blocks of {@link #blockSize()} elements taking
 * {@link #blockBytes()} bytes each; a plain type has a block size of 1.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    /** 32 values: one F16 scale d, then 16 bytes of 4-bit quants; value = (q - 8) * d. Low nibbles hold 0..15, high 16..31. */
    Q4_0(2, 32, 18),
    /** 32 values: one F16 scale d, then 32 signed bytes q; value = q * d. */
    Q8_0(8, 32, 34),
    BF16(30, 1, 2);

    private final int ggufId;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int ggufId, int blockSize, int blockBytes) {
        this.ggufId = ggufId;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    public int ggufId() {
        return ggufId;
    }

    /** Elements per block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes per block. */
    public int blockBytes() {
        return blockBytes;
    }

    /** Bytes taken by {@code numElements} values; {@code numElements} must be a multiple of the block size. */
    public long bytesFor(long numElements) {
        if (numElements % blockSize != 0) {
            throw new IllegalArgumentException(
                    name() + " needs a multiple of " + blockSize + " elements, got " + numElements);
        }
        return numElements / blockSize * blockBytes;
    }

    /** The type with GGUF id {@code id}, or null when PrefixFlow does not support it. */
    public static GgmlType fromGgufId(int id) {
        for (GgmlType t : values()) {
            if (t.ggufId == id) {
                return t;
            }
        }
        return null;
    }

    /** Parses a {@code --dtype} value such as {@code f32}, {@code q8_0}. */
    public static GgmlType parse(String name) {
        for (GgmlType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; expected one of f32, f16, bf16, q8_0, q4_0");
    }
}
