package io.prefixflow.runtime.cuda;

import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * One allocation of GPU memory. Copies are synchronous with respect to the host (the driver waits for
 * earlier work on the default stream before a device-to-host copy), so a download sees every kernel launched
 * before it. The context that allocated it must be current on the calling thread.
 */
final class DeviceBuffer implements AutoCloseable {
    private final CUdeviceptr pointer = new CUdeviceptr();
    private final long sizeBytes;
    private boolean closed;

    /** Allocates {@code sizeBytes} (at least 1) of device memory, 256-byte aligned as cuMemAlloc gives it. */
    DeviceBuffer(long sizeBytes) {
        this.sizeBytes = Math.max(1, sizeBytes);
        cuMemAlloc(pointer, this.sizeBytes);
    }

    CUdeviceptr pointer() {
        return pointer;
    }

    /** The address {@code byteOffset} bytes into the buffer. */
    CUdeviceptr at(long byteOffset) {
        if (byteOffset < 0 || byteOffset > sizeBytes) {
            throw new IndexOutOfBoundsException("offset " + byteOffset + " outside a buffer of " + sizeBytes + " bytes");
        }
        return pointer.withByteOffset(byteOffset);
    }

    long sizeBytes() {
        return sizeBytes;
    }

    void upload(float[] src, int count, long dstByteOffset) {
        check(dstByteOffset, (long) count * Float.BYTES);
        cuMemcpyHtoD(pointer.withByteOffset(dstByteOffset), Pointer.to(src), (long) count * Float.BYTES);
    }

    void upload(int[] src, int count, long dstByteOffset) {
        check(dstByteOffset, (long) count * Integer.BYTES);
        cuMemcpyHtoD(pointer.withByteOffset(dstByteOffset), Pointer.to(src), (long) count * Integer.BYTES);
    }

    void upload(short[] src, int count, long dstByteOffset) {
        check(dstByteOffset, (long) count * Short.BYTES);
        cuMemcpyHtoD(pointer.withByteOffset(dstByteOffset), Pointer.to(src), (long) count * Short.BYTES);
    }

    void download(float[] dst, int count, long srcByteOffset) {
        check(srcByteOffset, (long) count * Float.BYTES);
        cuMemcpyDtoH(Pointer.to(dst), pointer.withByteOffset(srcByteOffset), (long) count * Float.BYTES);
    }

    void download(int[] dst, int count, long srcByteOffset) {
        check(srcByteOffset, (long) count * Integer.BYTES);
        cuMemcpyDtoH(Pointer.to(dst), pointer.withByteOffset(srcByteOffset), (long) count * Integer.BYTES);
    }

    private void check(long byteOffset, long countBytes) {
        if (byteOffset < 0 || byteOffset + countBytes > sizeBytes) {
            throw new IndexOutOfBoundsException("copy of " + countBytes + " bytes at " + byteOffset
                    + " outside a buffer of " + sizeBytes + " bytes");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cuMemFree(pointer);
        }
    }
}
