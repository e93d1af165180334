package io.prefixflow.jobs.cli;

import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.model.ModelLoader;
import io.prefixflow.runtime.model.QuantRecipe;
import io.prefixflow.runtime.runner.Backend;
import io.prefixflow.runtime.runner.KvDtype;
import io.prefixflow.runtime.runner.ModelRunner;
import io.prefixflow.runtime.tensor.ActivationRounding;
import io.prefixflow.runtime.tokenizer.DefaultTokenizerFactory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options that say which model to load and how to run it; shared by the commands that run a model. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "PATH|dummy:SHAPE|builtin:stories260K",
            description = "A GGUF file, a llama2.c checkpoint, dummy:llama-110m / dummy:llama-1b / dummy:tiny, or"
                    + " builtin:stories260K (the tiny model inside the jar).")
    String model;

    @Option(names = "--tokenizer", paramLabel = "PATH",
            description = "llama2.c tokenizer file, for llama2.c checkpoints (GGUF files carry their own).")
    Path tokenizer;

    @Option(names = "--dtype", paramLabel = "T",
            description = "Weight type of dummy models (default f32): f32, f16, bf16, q8_0, q4_0, q4_1, q5_0,"
                    + " q5_1, q2_k, q3_k, q4_k, q5_k, q6_k, or llama.cpp's mixes q4_k_m, q5_k_m.")
    String dtype;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (default: all cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--context-length", paramLabel = "N",
            description = "Override the model's context length in tokens (like llama.cpp's -c).")
    Integer contextLength;

    @Option(names = "--block-size", paramLabel = "TOKENS", description = "Tokens per KV block (default 16).")
    int blockSize = 16;

    @Option(names = "--backend", paramLabel = "cpu|cuda",
            description = "Where the forward pass runs: cpu (default) or cuda (one NVIDIA GPU, BF16 weights;"
                    + " fails at start when no GPU is usable).")
    String backend = "cpu";

    @Option(names = "--device", paramLabel = "N", description = "GPU ordinal for --backend cuda (default 0).")
    int device = 0;

    @Option(names = "--activations", paramLabel = "none|ggml",
            description = "Activation rounding before each matrix product (cpu): none (default, float activations)"
                    + " or ggml (8 bits per block for quantized weights, F16/BF16 for F16/BF16 ones, as llama.cpp's"
                    + " CPU backend does, so greedy tokens follow llama.cpp's on the same file).")
    String activations = "none";

    @Option(names = "--kv-dtype", paramLabel = "f32|f16|q8_0",
            description = "How the KV cache is stored (cpu): f32 (default; exact), f16 (half the bytes) or q8_0"
                    + " (llama.cpp's 8 bits per 32 values with an F16 scale, 1.0625 bytes per value; head size a"
                    + " multiple of 32). A --kv-cache-bytes budget holds 2 or 3.8 times as many blocks in f16 or q8_0.")
    String kvDtype = "f32";

    /** Opens the runner of the chosen backend for {@code model} with {@code numBlocks} KV blocks. */
    ModelRunner openRunner(Model model, int numBlocks) {
        return backend().open(model.config(), model.weights(), blockSize, numBlocks, threads, device,
                ActivationRounding.parse(activations), kvDtype());
    }

    /** The KV cache type {@code --kv-dtype} names. */
    KvDtype kvDtype() {
        return KvDtype.parse(kvDtype);
    }

    /** The backend {@code --backend} names. */
    Backend backend() {
        return Backend.parse(backend);
    }

    Model load() {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("--block-size must be >= 1, got " + blockSize);
        }
        QuantRecipe recipe = dtype == null ? null : QuantRecipe.parse(dtype);
        ModelSpecs.Resolved resolved = ModelSpecs.resolve(model, tokenizer, "--model", "--tokenizer");
        Model loaded = ModelLoader.loadStoredAs(resolved.spec(), resolved.tokenizer(), recipe,
                new DefaultTokenizerFactory());
        if (contextLength != null) {
            if (contextLength < 2) {
                throw new IllegalArgumentException("--context-length must be >= 2, got " + contextLength);
            }
            loaded = loaded.withContextLength(contextLength);
        }
        return loaded;
    }
}
