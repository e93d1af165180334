package io.prefixflow.runtime.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel uses, and a horizontal sum whose result does not depend on how the
 * JIT compiled it.
 *
 * <p>The float species is the preferred one when it holds 8 or 16 floats (AVX2, AVX-512), else the
 * 256-bit one. {@link #BYTES}, {@link #SHORTS} and {@link #INTS} have as many lanes as {@link #FLOATS},
 * so one narrow load converts into exactly one float vector.
 *
 * <p>NOTE: {@code reduceLanes(ADD)} is documented to add lanes in an unspecified order, which may
 * differ between the interpreter, C1 and C2 (and between JDK versions). {@link #sum} instead adds
 * scalar lanes in a fixed tree, so a value is bit-identical whenever and wherever it is computed.
 * Batch invariance rests on that.
 */
public final class SimdLanes {
    /** Float species of all kernels: 8 or 16 lanes. */
    public static final VectorSpecies<Float> FLOATS = pickFloatSpecies();
    /** Number of floats in a {@link #FLOATS} vector. */
    public static final int LANES = FLOATS.length();
    /** Byte species with {@link #LANES} lanes (64 or 128 bits). */
    public static final VectorSpecies<Byte> BYTES =
            ByteVector.SPECIES_64.length() == LANES ? ByteVector.SPECIES_64 : ByteVector.SPECIES_128;
    /** Short species with {@link #LANES} lanes (128 or 256 bits). */
    public static final VectorSpecies<Short> SHORTS =
            ShortVector.SPECIES_128.length() == LANES ? ShortVector.SPECIES_128 : ShortVector.SPECIES_256;
    /** Int species with {@link #LANES} lanes, the same shape as {@link #FLOATS}. */
    public static final VectorSpecies<Integer> INTS = IntVector.SPECIES_256.length() == LANES
            ? IntVector.SPECIES_256 : IntVector.SPECIES_512;


    private SimdLanes() {
    }

    /**
     * Sum of all lanes of {@code v}, always added in the same order: a pairwise tree
     * {@code ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))}, and for 16 lanes the two 8-lane halves
     * summed that way, then added.
     */
    public static float sum(FloatVector v) {
        float low = ((v.lane(0) + v.lane(1)) + (v.lane(2) + v.lane(3)))
                + ((v.lane(4) + v.lane(5)) + (v.lane(6) + v.lane(7)));
        if (LANES == 8) {
            return low;
        }
        float high = ((v.lane(8) + v.lane(9)) + (v.lane(10) + v.lane(11)))
                + ((v.lane(12) + v.lane(13)) + (v.lane(14) + v.lane(15)));
        return low + high;
    }

    /**
     * Sum of the {@link #LANES} floats at {@code lanes[off ..]}, in the same tree as {@link #sum}: a
     * vector stored to memory and summed here gives the same bits as {@code sum} of that vector.
     */
    public static float sumStored(float[] lanes, int off) {
        float low = ((lanes[off] + lanes[off + 1]) + (lanes[off + 2] + lanes[off + 3]))
                + ((lanes[off + 4] + lanes[off + 5]) + (lanes[off + 6] + lanes[off + 7]));
        if (LANES == 8) {
            return low;
        }
        float high = ((lanes[off + 8] + lanes[off + 9]) + (lanes[off + 10] + lanes[off + 11]))
                + ((lanes[off + 12] + lanes[off + 13]) + (lanes[off + 14] + lanes[off + 15]));
        return low + high;
    }

    private static VectorSpecies<Float> pickFloatSpecies() {
        int preferred = FloatVector.SPECIES_PREFERRED.length();
        return preferred == 16 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
    }
}
