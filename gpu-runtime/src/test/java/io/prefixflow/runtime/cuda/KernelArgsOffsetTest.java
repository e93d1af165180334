package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The runner passes sections of one buffer to kernels as offset device pointers ({@code DeviceBuffer.at}): a
 * kernel given {@code y = buffer + 64 floats} must write exactly there, and a null pointer must arrive as 0.
 */
@Tag("gpu")
class KernelArgsOffsetTest {
    @BeforeEach
    void requireGpu() {
        GpuTestSupport.assumeGpu();
    }

    @Test
    void offsetPointersReachTheKernel() {
        float[] y = new float[256];
        float[] x = new float[256];
        for (int i = 0; i < y.length; i++) {
            y[i] = i;
            x[i] = 1000f;
        }
        float[] got = new float[256];
        try (CudaDevice device = CudaDevice.open(0);
             CudaKernels kernels = new CudaKernels(device, KernelImages.fromClasspath());
             DeviceBuffer yBuf = new DeviceBuffer(4L * y.length);
             DeviceBuffer xBuf = new DeviceBuffer(4L * x.length)) {
            yBuf.upload(y, y.length, 0);
            xBuf.upload(x, x.length, 0);
            kernels.launch("residual_add", 1, 1, LaunchGeometry.ELEMENTWISE_THREADS, 0,
                    new KernelArgs().ptr(yBuf.at(64 * 4)).ptr(xBuf.pointer()).i64(32));
            yBuf.download(got, got.length, 0);
        }
        for (int i = 0; i < got.length; i++) {
            float want = i >= 64 && i < 96 ? i + 1000f : i;
            assertEquals(want, got[i], "element " + i);
        }
    }
}
