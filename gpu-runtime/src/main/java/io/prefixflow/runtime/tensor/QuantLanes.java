package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** Vector and little-endian helpers shared by the block decoders: bytes to int lanes, ints to floats. */
final class QuantLanes {
    /** Reads a little-endian short out of a byte array in one load. */
    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    /** Reads a little-endian int out of a byte array in one load. */
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    /** 0, 1, ..., 31: lane indices, loaded from an offset to shift a 32-bit mask per lane. */
    private static final int[] IOTA = new int[64];

    /** The bits of 2^-14, the smallest normal F16, taken off a rebiased F16 subnormal. */
    private static final int F16_SUBNORMAL_OFFSET_BITS = Float.floatToRawIntBits(0x1p-14f);

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
     * F16 values, sign-extended into int lanes, as floats, exactly (as {@link Float16#finiteF16ToFloat}, whose
     * NOTE says why the exponent is rebiased in the integers: no subnormal float ever reaches a multiply).
     */
    static FloatVector f16Floats(IntVector h) {
        // << 17 then >>> 4 leaves (h & 0x7fff) << 13
        IntVector bits = h.lanewise(VectorOperators.LSHL, 17).lanewise(VectorOperators.LSHR, 4);
        VectorMask<Integer> subnormal = bits.lt(1 << 23);
        IntVector zero = IntVector.zero(SimdLanes.INTS);
        FloatVector magnitude = bits.add(112 << 23).add(zero.blend(1 << 23, subnormal)).reinterpretAsFloats()
                .sub(zero.blend(F16_SUBNORMAL_OFFSET_BITS, subnormal).reinterpretAsFloats());
        return magnitude.reinterpretAsInts().or(h.and(0x80000000)).reinterpretAsFloats();
    }

    /** Int lanes converted to floats (exact for quants). */
    static FloatVector floats(IntVector v) {
        return (FloatVector) v.convertShape(VectorOperators.I2F, SimdLanes.FLOATS, 0);
    }
}
