package io.prefixflow.runtime.runner;

import java.util.Locale;

/**
 * How the CPU backend stores the KV cache.
 *
 * <ul>
 *   <li>{@link #F32}: floats as computed (the default: the reference outputs are token-exact with it).</li>
 *   <li>{@link #F16}: IEEE binary16, rounded to nearest (ties to even), saturating at ±65,504; half the bytes.</li>
 *   <li>{@link #Q8_0}: llama.cpp's Q8_0 per 32 values of a head (an F16 scale {@code amax / 127} and 32 int8);
 *       1.0625 bytes per value, 0.27 of F32's. The head size must be a multiple of 32.</li>
 * </ul>
 * A block of the cache holds the same tokens whatever the type, so a budget in bytes holds 2 or 3.8 times as many
 * blocks in F16 or Q8_0: more cached prefixes and running sequences.
 */
public enum KvDtype {
    F32, F16, Q8_0;

    /** Values per Q8_0 group. */
    public static final int Q8_0_GROUP = io.prefixflow.runtime.tensor.KvRowCodec.GROUP;

    /** Parses {@code f32}, {@code f16} or {@code q8_0} (any case). */
    public static KvDtype parse(String name) {
        String n = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        for (KvDtype t : values()) {
            if (t.name().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("KV cache type '" + name + "': expected f32, f16 or q8_0");
    }

    /** The name used in options: {@code f32}, {@code f16}, {@code q8_0}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Bytes one token's K (or V) vector of {@code kvDim} values takes in one layer. */
    public long bytesPerRow(int kvDim) {
        return switch (this) {
            case F32 -> 4L * kvDim;
            case F16 -> 2L * kvDim;
            case Q8_0 -> kvDim + 2L * (kvDim / Q8_0_GROUP);
        };
    }
}
