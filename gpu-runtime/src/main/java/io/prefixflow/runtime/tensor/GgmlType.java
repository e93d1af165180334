package io.prefixflow.runtime.tensor;

import java.util.Locale;

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
    /** 32 values: F16 scale d, F16 minimum m, 16 bytes of 4-bit quants q; value = q * d + m. */
    Q4_1(3, 32, 20),
    /** 32 values: F16 scale d, u32 of fifth bits, 16 bytes of 4-bit quants; value = (q - 16) * d. */
    Q5_0(6, 32, 22),
    /** 32 values: F16 scale d, F16 minimum m, u32 of fifth bits, 16 bytes of 4-bit quants; value = q * d + m. */
    Q5_1(7, 32, 24),
    /** 32 values: one F16 scale d, then 32 signed bytes q; value = q * d. */
    Q8_0(8, 32, 34),
    /** 256 values in 16 groups of 16 with 4-bit scales and mins; 2-bit quants. */
    Q2_K(10, 256, 84),
    /** 256 values in 16 groups of 16 with 6-bit signed scales; 3-bit signed quants. */
    Q3_K(11, 256, 110),
    /** 256 values in 8 groups of 32 with 6-bit scales and mins; 4-bit quants. */
    Q4_K(12, 256, 144),
    /** 256 values in 8 groups of 32 with 6-bit scales and mins; 5-bit quants. */
    Q5_K(13, 256, 176),
    /** 256 values in 16 groups of 16 with int8 scales; 6-bit signed quants. */
    Q6_K(14, 256, 210),
    BF16(30, 1, 2);

    /**
     * GGUF's names of every {@code ggml_type} id, supported or not, for error messages (index = id; null
     * for ids ggml has retired).
     */
    private static final String[] GGUF_NAMES = {
        "F32", "F16", "Q4_0", "Q4_1", null, null, "Q5_0", "Q5_1", "Q8_0", "Q8_1",
        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S",
        "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M",
        "BF16", null, null, null, "TQ1_0", "TQ2_0", null, null, null, "MXFP4",
    };

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

    /**
     * Bytes taken by {@code numElements} values; {@code numElements} must be a multiple of the block size.
     *
     * @throws ArithmeticException when the size does not fit a long (a corrupt tensor shape)
     */
    public long bytesFor(long numElements) {
        if (numElements % blockSize != 0) {
            throw new IllegalArgumentException(
                    name() + " needs a multiple of " + blockSize + " elements, got " + numElements);
        }
        return Math.multiplyExact(numElements / blockSize, (long) blockBytes);
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

    /** ggml's name of GGUF type id {@code id}, whether PrefixFlow supports it or not, e.g. {@code IQ2_XS}. */
    public static String ggufName(int id) {
        String name = id >= 0 && id < GGUF_NAMES.length ? GGUF_NAMES[id] : null;
        return name != null ? name : "unknown type " + id;
    }

    /** The supported types' names, comma-separated, for messages: {@code F32, F16, Q4_0, ...}. */
    public static String supportedNames() {
        StringBuilder names = new StringBuilder();
        for (GgmlType t : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(t.name());
        }
        return names.toString();
    }

    /** Parses a {@code --dtype} value such as {@code f32}, {@code q8_0}, {@code q4_k}. */
    public static GgmlType parse(String name) {
        for (GgmlType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dtype '" + name + "'; expected one of "
                + supportedNames().toLowerCase(Locale.ROOT));
    }
}
