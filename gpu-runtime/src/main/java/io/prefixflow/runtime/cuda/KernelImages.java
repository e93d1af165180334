package io.prefixflow.runtime.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * The compiled kernel modules packed into the jar by the {@code cuda-kernels} Maven profile: per
 * {@code src/main/cuda/NAME.cu}, {@code NAME.cubin} (sm_90 machine code) and {@code NAME.ptx} (compute_90,
 * which the driver compiles for newer GPUs), under {@code io/prefixflow/runtime/cuda/}.
 *
 * <p>A jar built where {@code nvcc} was missing has none; asking for a module then fails with a message
 * that says so and how to rebuild.
 */
final class KernelImages {
    /** Every kernel module the runner loads, one per {@code .cu} file. */
    static final List<String> MODULES = List.of("embedding", "rmsnorm", "rope", "kv_append", "attention", "gemm",
            "elementwise", "argmax");

    static final String RESOURCE_DIR = "io/prefixflow/runtime/cuda/";

    private final Function<String, InputStream> resources;

    /** Reads images through {@code resources} (resource path to stream, or null when absent). */
    KernelImages(Function<String, InputStream> resources) {
        this.resources = resources;
    }

    /** Images from this class's class loader: the jar (or target/classes) they were built into. */
    static KernelImages fromClasspath() {
        ClassLoader loader = KernelImages.class.getClassLoader();
        return new KernelImages(loader::getResourceAsStream);
    }

    /**
     * The image of {@code module} for a GPU of compute capability {@code major.minor}: the sm_90 cubin on
     * Hopper (9.x), else the PTX, NUL-terminated as {@code cuModuleLoadData} expects text to be.
     *
     * @throws IllegalStateException when the GPU is older than 9.0 or the jar holds no such module
     */
    byte[] image(String module, int major, int minor) {
        if (major < 9) {
            throw new IllegalStateException("the CUDA kernels are built for compute capability 9.0 (Hopper) and"
                    + " newer; this GPU has " + major + "." + minor);
        }
        if (major == 9) {
            byte[] cubin = read(module + ".cubin");
            if (cubin != null) {
                return cubin;
            }
        }
        byte[] ptx = read(module + ".ptx");
        if (ptx == null) {
            throw missing(module);
        }
        byte[] terminated = new byte[ptx.length + 1];
        System.arraycopy(ptx, 0, terminated, 0, ptx.length);
        return terminated;
    }

    /** Fails, naming the first missing module, unless every module has its PTX. */
    void requireAll() {
        for (String module : MODULES) {
            try (InputStream in = resources.apply(RESOURCE_DIR + module + ".ptx")) {
                if (in == null) {
                    throw missing(module);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private byte[] read(String fileName) {
        try (InputStream in = resources.apply(RESOURCE_DIR + fileName)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CUDA kernel image " + RESOURCE_DIR + fileName, e);
        }
    }

    private static IllegalStateException missing(String module) {
        return new IllegalStateException("CUDA kernel module '" + module + "' is not on the classpath (looked for "
                + RESOURCE_DIR + module + ".cubin and .ptx): this gpu-runtime jar was built without nvcc."
                + " Rebuild it on a machine with /usr/local/bin/nvcc (Maven profile cuda-kernels) to use --backend cuda");
    }
}
