package io.prefixflow.runtime.cuda;

import static jcuda.driver.JCudaDriver.cuMemsetD32;

import org.junit.jupiter.api.Assumptions;

/** What the {@code gpu}-tagged tests share: the skip with its reason, and output poisoning. */
final class GpuTestSupport {
    /** A quiet NaN's bits: every output a kernel fails to write stays NaN and fails the comparison. */
    static final int NAN_BITS = 0x7FC0_0000;

    private GpuTestSupport() {
    }

    /** Skips the calling test, saying why, where no GPU can be used. */
    static void assumeGpu() {
        Assumptions.assumeTrue(CudaProbe.isAvailable(), () -> "no usable GPU: " + CudaProbe.reason());
    }

    /** Fills {@code buffer} with NaN. */
    static void poison(DeviceBuffer buffer) {
        cuMemsetD32(buffer.pointer(), NAN_BITS, buffer.sizeBytes() / Integer.BYTES);
    }

    /** {@code max |got - want| / max |want|}; NaN anywhere gives NaN (which fails any {@code <} check). */
    static double relativeMaxError(float[] got, double[] want) {
        double maxErr = 0;
        double maxRef = 0;
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(got[i])) {
                return Double.NaN;
            }
            maxErr = Math.max(maxErr, Math.abs(got[i] - want[i]));
            maxRef = Math.max(maxRef, Math.abs(want[i]));
        }
        return maxErr / Math.max(maxRef, 1e-30);
    }
}
