package io.prefixflow.runtime.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;

/**
 * One GPU, by ordinal, and its primary context.
 *
 * <p>NOTE: a CUDA context is current per thread. The runner is built on one thread (a Flink operator's
 * {@code open}) and stepped on another (the engine thread), so every entry point calls {@link #makeCurrent()}
 * first. The primary context is shared with anything else in the process that uses the same GPU.
 */
final class CudaDevice implements AutoCloseable {
    private final int ordinal;
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final String name;
    private final int computeMajor;
    private final int computeMinor;
    private final int multiprocessorCount;
    private final int maxSharedBytesPerBlock;
    private final long totalMemoryBytes;
    private boolean closed;

    /**
     * Opens GPU {@code ordinal}.
     *
     * @throws IllegalStateException when no GPU can be used here, or the ordinal is not one of them
     */
    static CudaDevice open(int ordinal) {
        if (!CudaProbe.isAvailable()) {
            throw new IllegalStateException("the cuda backend cannot start: " + CudaProbe.reason());
        }
        int count = CudaProbe.deviceCount();
        if (ordinal < 0 || ordinal >= count) {
            throw new IllegalStateException("GPU ordinal " + ordinal + " does not exist: the driver reports " + count
                    + " GPU(s), ordinals 0.." + (count - 1));
        }
        return new CudaDevice(ordinal);
    }

    private CudaDevice(int ordinal) {
        this.ordinal = ordinal;
        cuDeviceGet(device, ordinal);
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        byte[] nameBytes = new byte[256];
        cuDeviceGetName(nameBytes, nameBytes.length, device);
        int end = 0;
        while (end < nameBytes.length && nameBytes[end] != 0) {
            end++;
        }
        this.name = new String(nameBytes, 0, end, StandardCharsets.US_ASCII);
        this.computeMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        this.computeMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        this.multiprocessorCount = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        this.maxSharedBytesPerBlock = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
        long[] total = new long[1];
        cuDeviceTotalMem(total, device);
        this.totalMemoryBytes = total[0];
    }

    private int attribute(int attribute) {
        int[] value = new int[1];
        cuDeviceGetAttribute(value, attribute, device);
        return value[0];
    }

    /** Makes this GPU's context current on the calling thread. */
    void makeCurrent() {
        if (closed) {
            throw new IllegalStateException("GPU " + ordinal + " was closed");
        }
        cuCtxSetCurrent(context);
    }

    /** Device memory free right now, in bytes. */
    long freeMemoryBytes() {
        makeCurrent();
        long[] free = new long[1];
        long[] total = new long[1];
        cuMemGetInfo(free, total);
        return free[0];
    }

    int ordinal() {
        return ordinal;
    }

    String name() {
        return name;
    }

    int computeMajor() {
        return computeMajor;
    }

    int computeMinor() {
        return computeMinor;
    }

    int multiprocessorCount() {
        return multiprocessorCount;
    }

    int maxSharedBytesPerBlock() {
        return maxSharedBytesPerBlock;
    }

    long totalMemoryBytes() {
        return totalMemoryBytes;
    }

    /** One line for logs: ordinal, name, compute capability, SMs, memory. */
    String describe() {
        return "GPU " + ordinal + " (" + name + ", compute " + computeMajor + "." + computeMinor + ", "
                + multiprocessorCount + " SMs, " + (totalMemoryBytes >> 20) + " MiB)";
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cuDevicePrimaryCtxRelease(device);
        }
    }
}
