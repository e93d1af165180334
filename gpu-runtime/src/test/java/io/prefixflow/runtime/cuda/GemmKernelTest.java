package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Both projection kernels against a float64 reference on random data, with ragged shapes (tails in every
 * dimension, k not a multiple of 8 for the unvectorized path) and a bias. For BF16 the reference uses the
 * same BF16-rounded inputs, so the remaining error is the F32 accumulation.
 */
@Tag("gpu")
class GemmKernelTest {
    @BeforeEach
    void requireGpu() {
        GpuTestSupport.assumeGpu();
    }

    @ParameterizedTest(name = "{0}: m {1}, n {2}, k {3}")
    @CsvSource({"BF16, 1, 64, 64", "BF16, 5, 100, 172", "BF16, 16, 2048, 2048", "BF16, 37, 100, 172",
            "BF16, 130, 257, 256", "BF16, 256, 2048, 2048", "F32, 1, 64, 64", "F32, 37, 100, 172",
            "F32, 130, 257, 256"})
    void matchesTheReference(WeightPrecision precision, int m, int n, int k) {
        SplittableRandom random = new SplittableRandom(m * 31L + n * 7L + k);
        float[] x = new float[m * k];
        float[] w = new float[n * k];
        float[] bias = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (random.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < n; i++) {
            bias[i] = (float) random.nextDouble();
        }
        float[] got = new float[m * n];
        try (CudaDevice device = CudaDevice.open(0);
             CudaKernels kernels = new CudaKernels(device, KernelImages.fromClasspath());
             DeviceBuffer xBuf = new DeviceBuffer(4L * x.length);
             DeviceBuffer wBuf = new DeviceBuffer((long) w.length * precision.bytesPerElement());
             DeviceBuffer biasBuf = new DeviceBuffer(4L * n);
             DeviceBuffer yBuf = new DeviceBuffer(4L * got.length)) {
            xBuf.upload(x, x.length, 0);
            if (precision == WeightPrecision.BF16) {
                short[] packed = new short[w.length];
                Bf16.encode(w, 0, packed, 0, w.length);
                wBuf.upload(packed, packed.length, 0);
            } else {
                wBuf.upload(w, w.length, 0);
            }
            biasBuf.upload(bias, n, 0);
            GpuTestSupport.poison(yBuf);
            int[] grid = LaunchGeometry.gemmGrid(precision, m, n);
            kernels.launch(LaunchGeometry.gemmKernel(precision, m), grid[0], grid[1],
                    LaunchGeometry.gemmThreads(precision, m), 0, new KernelArgs().ptr(xBuf.pointer())
                            .ptr(wBuf.pointer()).ptr(biasBuf.pointer()).ptr(yBuf.pointer()).i32(m).i32(n).i32(k));
            yBuf.download(got, got.length, 0);
        }
        double[] want = new double[m * n];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < n; c++) {
                double sum = bias[c];
                for (int i = 0; i < k; i++) {
                    double xv = x[r * k + i];
                    double wv = w[c * k + i];
                    if (precision == WeightPrecision.BF16) {
                        xv = Bf16.toFloat(Bf16.fromFloat(x[r * k + i]));
                        wv = Bf16.toFloat(Bf16.fromFloat(w[c * k + i]));
                    }
                    sum += xv * wv;
                }
                want[r * n + c] = sum;
            }
        }
        double error = GpuTestSupport.relativeMaxError(got, want);
        assertTrue(error < 1e-5, precision + " relative max error " + error);
    }

    /**
     * Batch invariance across the kernel switch: a decode-sized step (skinny kernel) and the same rows inside a
     * larger step (64 x 64 kernel) must give the same bits, so both kernels run here on the same rows.
     */
    @ParameterizedTest(name = "m {0}, n {1}, k {2}")
    @CsvSource({"1, 2048, 2048", "7, 100, 172", "16, 257, 256", "3, 64, 4100"})
    void skinnyAndWideKernelsGiveTheSameBits(int m, int n, int k) {
        SplittableRandom random = new SplittableRandom(m * 131L + n * 17L + k);
        float[] x = new float[m * k];
        short[] w = new short[n * k];
        float[] bias = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        float[] wFloats = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            wFloats[i] = (float) (random.nextDouble() * 2 - 1);
        }
        Bf16.encode(wFloats, 0, w, 0, w.length);
        for (int i = 0; i < n; i++) {
            bias[i] = (float) random.nextDouble();
        }
        float[] skinny = new float[m * n];
        float[] wide = new float[m * n];
        try (CudaDevice device = CudaDevice.open(0);
             CudaKernels kernels = new CudaKernels(device, KernelImages.fromClasspath());
             DeviceBuffer xBuf = new DeviceBuffer(4L * x.length);
             DeviceBuffer wBuf = new DeviceBuffer(2L * w.length);
             DeviceBuffer biasBuf = new DeviceBuffer(4L * n);
             DeviceBuffer yBuf = new DeviceBuffer(4L * skinny.length)) {
            xBuf.upload(x, x.length, 0);
            wBuf.upload(w, w.length, 0);
            biasBuf.upload(bias, n, 0);
            KernelArgs args = new KernelArgs().ptr(xBuf.pointer()).ptr(wBuf.pointer()).ptr(biasBuf.pointer())
                    .ptr(yBuf.pointer()).i32(m).i32(n).i32(k);
            GpuTestSupport.poison(yBuf);
            kernels.launch("gemm_bf16_wmma_skinny", LaunchGeometry.ceilDiv(n, LaunchGeometry.GEMM_SKINNY_TILE_N),
                    LaunchGeometry.ceilDiv(m, LaunchGeometry.GEMM_SKINNY_TILE_M), LaunchGeometry.GEMM_SKINNY_THREADS,
                    0, args);
            yBuf.download(skinny, skinny.length, 0);
            GpuTestSupport.poison(yBuf);
            kernels.launch("gemm_bf16_wmma", LaunchGeometry.ceilDiv(n, LaunchGeometry.GEMM_BF16_TILE_N),
                    LaunchGeometry.ceilDiv(m, LaunchGeometry.GEMM_BF16_TILE_M), LaunchGeometry.GEMM_BF16_THREADS,
                    0, args);
            yBuf.download(wide, wide.length, 0);
        }
        assertArrayEquals(wide, skinny, "m " + m + ", n " + n + ", k " + k);
    }
}
