package io.prefixflow.runtime.cuda;

import java.util.ArrayList;
import java.util.List;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The parameter list of one kernel launch, in the order of the kernel's signature. {@code int} parameters
 * are 32-bit, {@code long long} 64-bit, device pointers 64-bit; a null device pointer is passed as 0.
 */
final class KernelArgs {
    private final List<NativePointerObject> args = new ArrayList<>();

    KernelArgs ptr(CUdeviceptr pointer) {
        args.add(pointer == null ? Pointer.to(new long[] {0L}) : Pointer.to(pointer));
        return this;
    }

    KernelArgs i32(int value) {
        args.add(Pointer.to(new int[] {value}));
        return this;
    }

    KernelArgs i64(long value) {
        args.add(Pointer.to(new long[] {value}));
        return this;
    }

    KernelArgs f32(float value) {
        args.add(Pointer.to(new float[] {value}));
        return this;
    }

    int size() {
        return args.size();
    }

    /** The {@code void**} that cuLaunchKernel takes. */
    Pointer toKernelParams() {
        return Pointer.to(args.toArray(new NativePointerObject[0]));
    }
}
