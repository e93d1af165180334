package io.prefixflow.runtime.cuda;

import static jcuda.driver.JCudaDriver.cuFuncSetAttribute;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;

/**
 * The kernel modules loaded into one GPU's context, and launches by kernel name.
 *
 * <p>Every launch goes to the default stream; kernels run in launch order.
 */
final class CudaKernels implements AutoCloseable {
    /** Which module each kernel entry point lives in. */
    private static final Map<String, String> KERNEL_MODULES = Map.ofEntries(
            Map.entry("embed_bf16", "embedding"), Map.entry("embed_f32", "embedding"),
            Map.entry("rmsnorm", "rmsnorm"), Map.entry("rope_apply", "rope"), Map.entry("kv_append", "kv_append"),
            Map.entry("paged_attention_d32", "attention"), Map.entry("paged_attention_d64", "attention"),
            Map.entry("paged_attention_d128", "attention"), Map.entry("paged_attention_d256", "attention"),
            Map.entry("gemm_bf16_wmma", "gemm"), Map.entry("gemm_bf16_wmma_skinny", "gemm"),
            Map.entry("gemm_f32", "gemm"),
            Map.entry("swiglu", "elementwise"), Map.entry("residual_add", "elementwise"),
            Map.entry("argmax_rows", "argmax"));

    private final List<CUmodule> modules = new ArrayList<>();
    private final Map<String, CUfunction> functions = new HashMap<>();

    /** Loads every module for {@code device} (whose context must be current). */
    CudaKernels(CudaDevice device, KernelImages images) {
        images.requireAll();
        Map<String, CUmodule> byName = new HashMap<>();
        try {
            for (String module : KernelImages.MODULES) {
                CUmodule loaded = new CUmodule();
                cuModuleLoadData(loaded, images.image(module, device.computeMajor(), device.computeMinor()));
                modules.add(loaded);
                byName.put(module, loaded);
            }
            for (Map.Entry<String, String> e : KERNEL_MODULES.entrySet()) {
                CUfunction function = new CUfunction();
                cuModuleGetFunction(function, byName.get(e.getValue()), e.getKey());
                functions.put(e.getKey(), function);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Lets {@code kernel} use up to {@code bytes} of dynamic shared memory (needed above 48 KiB). */
    void allowDynamicSharedMemory(String kernel, int bytes) {
        cuFuncSetAttribute(function(kernel), CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                bytes);
    }

    /** Launches {@code kernel} on a {@code gridX x gridY} grid of 1-D blocks of {@code threads}. */
    void launch(String kernel, int gridX, int gridY, int threads, int dynamicSharedBytes, KernelArgs args) {
        cuLaunchKernel(function(kernel), gridX, gridY, 1, threads, 1, 1, dynamicSharedBytes, null,
                args.toKernelParams(), null);
    }

    private CUfunction function(String kernel) {
        CUfunction f = functions.get(kernel);
        if (f == null) {
            throw new IllegalArgumentException("no CUDA kernel named " + kernel);
        }
        return f;
    }

    @Override
    public void close() {
        for (CUmodule module : modules) {
            cuModuleUnload(module);
        }
        modules.clear();
        functions.clear();
    }
}
