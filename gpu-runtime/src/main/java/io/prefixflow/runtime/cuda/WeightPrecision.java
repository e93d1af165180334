package io.prefixflow.runtime.cuda;

/**
 * How the CUDA backend stores weight matrices on the GPU, whatever type the model file holds.
 *
 * <p>NOTE: {@link #BF16} is the serving default: half the bytes of F32, so decode (which streams every
 * weight once per step) runs near twice as fast, and the projections run on tensor cores. Its cost is
 * rounding: weights and the activations entering each projection are rounded to 8 significant bits, so
 * logits deviate from the F32 CPU backend by about 1e-2 relative and greedy tokens can differ where the
 * top two logits are close. {@link #F32} keeps every value of an F32 model exactly and computes in F32
 * throughout; it differs from the CPU only by summation order (about 1e-6 relative), which is what the
 * token-for-token equality tests use.
 */
public enum WeightPrecision {
    /** bfloat16 weights, tensor-core projections (BF16 inputs, F32 accumulation). */
    BF16(2),
    /** F32 weights, F32 projections on CUDA cores. */
    F32(4);

    private final int bytesPerElement;

    WeightPrecision(int bytesPerElement) {
        this.bytesPerElement = bytesPerElement;
    }

    /** Bytes one stored weight takes on the GPU. */
    public int bytesPerElement() {
        return bytesPerElement;
    }
}
