package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** Vector and little-endian helpers shared by the block decoders: bytes to int lanes, ints to floats. */
final class QuantLanes {
    /** Reads a little-endian short out of a byte array in one load. */
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    /** Reads a little-endian int out of a byte array in one load. */
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** Reads a little-endian long out of a byte array in one load. */
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** 0, 1, ..., 31: lane indices, loaded from an offset to shift a 32-bit mask per lane. */
    private static final int[] IOTA = new int[64];

    static {
        for (int i = 0; i < IOTA.length; i++) {
            IOTA[i] = i;
        }
    }

    private QuantLanes() {
    }

    /** The F16 at {@code raw[start]} as a float (finite values exact). */
    static float f16(byte[] raw, int start) {
        return Float16.finiteF16ToFloat((short) SHORT_LE.get(raw, start));
    }

    /** The little-endian int at {@code raw[start]}. */
    static int int32(byte[] raw, int start) {
        return (int) INT_LE.get(raw, start);
    }

    /** The little-endian long at {@code raw[start]}. */
    static long int64(byte[] raw, int start) {
        return (long) LONG_LE.get(raw, start);
    }

    /** {@code raw[start .. start + LANES)} as unsigned ints 0..255. */
    static IntVector unsignedBytes(byte[] raw, int start) {
        IntVector signed = (IntVector) ByteVector.fromArray(SimdLanes.BYTES, raw, start)
                .convertShape(VectorOperators.B2I, SimdLanes.INTS, 0);
        return signed.and(0xff);
    }

    /** Bit {@code firstBit + lane} of {@code bits} in each lane, moved to bit 4 (the value 0 or 16). */
    static IntVector fifthBits(int bits, int firstBit) {
        IntVector shifts = IntVector.fromArray(SimdLanes.INTS, IOTA, firstBit);
        return IntVector.broadcast(SimdLanes.INTS, bits).lanewise(VectorOperators.LSHR, shifts)
                .and(1).lanewise(VectorOperators.LSHL, 4);
    }

    /**
     * The {@link SimdLanes#LANES} F16 values at {@code halves[off ..]} as floats, exactly: each one's sign and 15
     * exponent and mantissa bits moved into place read as a float are the value times 2^-112, and the multiply by
     * 2^112 is exact.
     *
     * <p>NOTE: unlike {@link Float16#finiteF16ToFloat} (block scales, where subnormal F16s are the rule), this takes
     * x86's microcode assist on each subnormal F16 lane, because here they are rare (weights and KV values below
     * 2^-14): an assist-free form (exponent rebiased in the integers, subnormal lanes fixed by blends) took 1.5x as
     * long for an F16 weight matrix, and one that branched on a subnormal lane 2.4x.
     */
    static FloatVector f16Floats(short[] halves, int off) {
        IntVector h = (IntVector) ShortVector.fromArray(SimdLanes.SHORTS, halves, off)
                .convertShape(VectorOperators.S2I, SimdLanes.INTS, 0);
        return h.lanewise(VectorOperators.LSHL, 13).and(0x8FFFE000).reinterpretAsFloats().mul(0x1p112f);
    }

    /** Int lanes converted to floats (exact for quants). */
    static FloatVector floats(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, SimdLanes.FLOATS, 0);
    }
}
