package io.prefixflow.runtime.runner;

import io.prefixflow.runtime.cpu.CpuModelRunner;
import io.prefixflow.runtime.tensor.ActivationRounding;
import io.prefixflow.runtime.cuda.CudaModelRunner;
import io.prefixflow.runtime.cuda.WeightPrecision;
import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.model.ModelWeights;
import java.util.Locale;

/**
 * Where the forward pass runs; chosen once, when the engine starts. Nothing falls back from one backend to
 * another: a {@code cuda} backend that cannot start throws.
 */
public enum Backend {
    /** Pure Java with the Vector API; always available. */
    CPU,
    /** One NVIDIA GPU through JCuda's driver API; BF16 weights, F32 activations and KV cache. */
    CUDA;

    /** Parses {@code cpu} or {@code cuda} (any case). */
    public static Backend parse(String name) {
        for (Backend b : values()) {
            if (b.name().equalsIgnoreCase(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; expected cpu or cuda");
    }

    /** The lower-case name used on command lines. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** KV blocks of {@code blockSize} tokens that fit in {@code kvCacheBytes} as this backend stores them. */
    public int blocksForBudget(ModelConfig config, int blockSize, long kvCacheBytes) {
        return blocksForBudget(config, blockSize, kvCacheBytes, KvDtype.F32);
    }

    /** KV blocks of {@code blockSize} tokens that fit in {@code kvCacheBytes} stored as {@code kvDtype}. */
    public int blocksForBudget(ModelConfig config, int blockSize, long kvCacheBytes, KvDtype kvDtype) {
        checkKvDtype(kvDtype);
        return switch (this) {
            case CPU -> CpuModelRunner.blocksForBudget(config, blockSize, kvCacheBytes, kvDtype);
            case CUDA -> CudaModelRunner.blocksForBudget(config, blockSize, kvCacheBytes);
        };
    }

    private void checkKvDtype(KvDtype kvDtype) {
        if (this == CUDA && kvDtype != KvDtype.F32) {
            throw new IllegalArgumentException("KV cache type " + kvDtype.cliName() + " is a CPU option; the cuda"
                    + " backend keeps its KV cache in f32");
        }
    }

    /**
     * Opens a runner of this backend.
     *
     * @param numThreads    CPU threads (cpu only)
     * @param deviceOrdinal GPU ordinal (cuda only)
     * @throws IllegalStateException when the backend cannot run here, with the reason
     */
    public ModelRunner open(ModelConfig config, ModelWeights weights, int blockSize, int numBlocks, int numThreads,
                            int deviceOrdinal) {
        return open(config, weights, blockSize, numBlocks, numThreads, deviceOrdinal, ActivationRounding.NONE);
    }

    /**
     * Opens a runner of this backend.
     *
     * @param numThreads    CPU threads (cpu only)
     * @param deviceOrdinal GPU ordinal (cuda only)
     * @param rounding      how activations are rounded before matrix products (cpu only; cuda takes NONE)
     * @throws IllegalStateException when the backend cannot run here, with the reason
     */
    public ModelRunner open(ModelConfig config, ModelWeights weights, int blockSize, int numBlocks, int numThreads,
                            int deviceOrdinal, ActivationRounding rounding) {
        return open(config, weights, blockSize, numBlocks, numThreads, deviceOrdinal, rounding, KvDtype.F32);
    }

    /**
     * Opens a runner of this backend.
     *
     * @param kvDtype how the KV cache is stored (cpu; cuda takes F32)
     * @throws IllegalStateException when the backend cannot run here, with the reason
     */
    public ModelRunner open(ModelConfig config, ModelWeights weights, int blockSize, int numBlocks, int numThreads,
                            int deviceOrdinal, ActivationRounding rounding, KvDtype kvDtype) {
        checkKvDtype(kvDtype);
        if (this == CUDA && rounding != ActivationRounding.NONE) {
            throw new IllegalArgumentException("activation rounding " + rounding.cliName()
                    + " is a CPU option; the cuda backend multiplies BF16 weights by float activations");
        }
        return switch (this) {
            case CPU -> new CpuModelRunner(config, weights, blockSize, numBlocks, numThreads, rounding, kvDtype);
            case CUDA -> new CudaModelRunner(config, weights, blockSize, numBlocks, deviceOrdinal,
                    WeightPrecision.BF16);
        };
    }
}
