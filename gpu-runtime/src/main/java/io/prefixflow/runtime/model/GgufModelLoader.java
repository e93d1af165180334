package io.prefixflow.runtime.model;

import io.prefixflow.runtime.format.GgufFile;
import io.prefixflow.runtime.format.GgufFile.TensorInfo;
import io.prefixflow.runtime.tensor.Float16;
import io.prefixflow.runtime.tensor.GgmlType;
import io.prefixflow.runtime.tensor.WeightMatrices;
import io.prefixflow.runtime.tensor.WeightMatrix;
import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a {@link Model} from a GGUF file of a supported architecture ({@code llama}, {@code mistral},
 * {@code qwen2}, {@code qwen3}), reading weight matrices in place from the memory-mapped file.
 *
 * <p>Every tensor's shape is checked against the configuration from the metadata. GGUF lists dimensions
 * innermost first, so a {@code rows x cols} matrix has dims {@code [cols, rows]}; messages quote the dims
 * in that GGUF order.
 */
public final class GgufModelLoader {
    private static final double DEFAULT_ROPE_THETA = 10_000.0;

    private final GgufFile gguf;
    private final GgufArchitecture arch;

    private GgufModelLoader(GgufFile gguf) {
        this.gguf = gguf;
        String archName = gguf.getString("general.architecture");
        this.arch = GgufArchitecture.byName(archName);
        if (arch == null) {
            throw new ModelFormatException(gguf.path(), "general.architecture '" + archName
                    + "' is not supported (supported: " + GgufArchitecture.supportedNames() + ")");
        }
    }

    /** The model's shape and numerics from the metadata; the vocabulary size is the token embedding's rows. */
    public static ModelConfig readConfig(GgufFile gguf) {
        return new GgufModelLoader(gguf).config();
    }

    /**
     * Loads the model. The file may be closed afterwards: mapped weights stay valid.
     *
     * @param tokenizer the tokenizer built from the same file, or null to run on token ids only
     */
    public static Model load(GgufFile gguf, Tokenizer tokenizer) {
        GgufModelLoader loader = new GgufModelLoader(gguf);
        ModelConfig config = loader.config();
        ModelWeights weights = loader.weights(config);
        if (tokenizer != null && tokenizer.vocabSize() > config.vocabSize()) {
            throw new ModelFormatException(gguf.path(), "the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the token embedding only " + config.vocabSize() + " rows");
        }
        String chatTemplate = gguf.has("tokenizer.chat_template") ? gguf.getString("tokenizer.chat_template") : null;
        return new Model(gguf.path().getFileName().toString(), config, weights, tokenizer,
                stopTokenIds(gguf, config.vocabSize()), chatTemplate);
    }

    /**
     * EOS, BOS (a sampled BOS starts a new document) and EOT when the file names them. Ids outside the
     * vocabulary (llama.cpp writes 0xFFFFFFFF for "none") are left out.
     */
    static Set<Integer> stopTokenIds(GgufFile gguf, int vocabSize) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String key : List.of("tokenizer.ggml.eos_token_id", "tokenizer.ggml.bos_token_id",
                "tokenizer.ggml.eot_token_id")) {
            if (gguf.has(key)) {
                long id = gguf.getLong(key);
                if (id >= 0 && id < vocabSize) {
                    ids.add((int) id);
                }
            }
        }
        return ids;
    }

    private ModelConfig config() {
        String p = arch.ggufName() + ".";
        if (gguf.getLong(p + "expert_count", 0) > 0) {
            throw new ModelFormatException(gguf.path(), p + "expert_count is " + gguf.getLong(p + "expert_count")
                    + ": mixture-of-experts models are not supported");
        }
        if (gguf.has(p + "rope.scaling.type") && !"none".equals(gguf.getString(p + "rope.scaling.type"))) {
            throw new ModelFormatException(gguf.path(), p + "rope.scaling.type '"
                    + gguf.getString(p + "rope.scaling.type") + "' is not supported");
        }
        int dim = intValue(p + "embedding_length");
        int numHeads = intValue(p + "attention.head_count");
        int numKvHeads = gguf.has(p + "attention.head_count_kv") ? intValue(p + "attention.head_count_kv") : numHeads;
        long[] embeddingDims = gguf.tensor("token_embd.weight").dims();
        if (embeddingDims.length != 2 || embeddingDims[0] != dim || embeddingDims[1] > Integer.MAX_VALUE) {
            throw new ModelFormatException(gguf.path(), "tensor 'token_embd.weight' has dims "
                    + Arrays.toString(embeddingDims) + ", expected [" + dim + ", vocabSize]");
        }
        int vocabSize = (int) embeddingDims[1];
        if (gguf.has(p + "vocab_size") && gguf.getLong(p + "vocab_size") != vocabSize) {
            throw new ModelFormatException(gguf.path(), p + "vocab_size is " + gguf.getLong(p + "vocab_size")
                    + " but 'token_embd.weight' has " + vocabSize + " rows");
        }
        ModelConfig config;
        try {
            config = new ModelConfig(dim, intValue(p + "feed_forward_length"), intValue(p + "block_count"),
                    numHeads, numKvHeads, vocabSize, intValue(p + "context_length"),
                    (float) gguf.get(p + "attention.layer_norm_rms_epsilon", Double.class).doubleValue(),
                    (float) gguf.getDouble(p + "rope.freq_base", DEFAULT_ROPE_THETA), arch.ropeStyle());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(gguf.path(), "inconsistent hyperparameters: " + e.getMessage(), e);
        }
        for (String key : List.of("rope.dimension_count", "attention.key_length", "attention.value_length")) {
            if (gguf.has(p + key) && gguf.getLong(p + key) != config.headSize()) {
                throw new ModelFormatException(gguf.path(), p + key + " is " + gguf.getLong(p + key)
                        + " but the head size (embedding_length / head_count) is " + config.headSize()
                        + "; only full-width RoPE with equal head sizes is supported");
            }
        }
        return config;
    }

    private int intValue(String key) {
        long value = gguf.getLong(key);
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new ModelFormatException(gguf.path(), "metadata '" + key + "' is " + value
                    + ", expected a positive 32-bit count");
        }
        return (int) value;
    }

    private ModelWeights weights(ModelConfig c) {
        int dim = c.dim();
        int kvDim = c.kvDim();
        int hidden = c.hiddenDim();
        WeightMatrix embedding = matrix("token_embd.weight", c.vocabSize(), dim);
        List<LayerWeights> layers = new ArrayList<>(c.numLayers());
        for (int l = 0; l < c.numLayers(); l++) {
            String b = "blk." + l + ".";
            boolean bias = arch.hasQkvBias();
            layers.add(new LayerWeights(
                    vector(b + "attn_norm.weight", dim),
                    matrix(b + "attn_q.weight", dim, dim),
                    matrix(b + "attn_k.weight", kvDim, dim),
                    matrix(b + "attn_v.weight", kvDim, dim),
                    matrix(b + "attn_output.weight", dim, dim),
                    bias ? vector(b + "attn_q.bias", dim) : null,
                    bias ? vector(b + "attn_k.bias", kvDim) : null,
                    bias ? vector(b + "attn_v.bias", kvDim) : null,
                    vector(b + "ffn_norm.weight", dim),
                    matrix(b + "ffn_gate.weight", hidden, dim),
                    matrix(b + "ffn_down.weight", dim, hidden),
                    matrix(b + "ffn_up.weight", hidden, dim),
                    arch.hasQkNorm() ? vector(b + "attn_q_norm.weight", c.headSize()) : null,
                    arch.hasQkNorm() ? vector(b + "attn_k_norm.weight", c.headSize()) : null));
            for (String norm : new String[] {"attn_q_norm.weight", "attn_k_norm.weight"}) {
                if (!arch.hasQkNorm() && gguf.tensors().containsKey(b + norm)) {
                    throw new ModelFormatException(gguf.path(), "tensor '" + b + norm + "' is not part of a "
                            + arch.ggufName() + " model; per-head Q/K norms are read for qwen3 only");
                }
            }
        }
        float[] finalNorm = vector("output_norm.weight", dim);
        WeightMatrix classifier = gguf.tensors().containsKey("output.weight")
                ? matrix("output.weight", c.vocabSize(), dim)
                : embedding;
        // Llama 3.1+ stores its long-context RoPE scaling as per-pair frequency divisors.
        float[] ropeFreqFactors = gguf.tensors().containsKey("rope_freqs.weight")
                ? vector("rope_freqs.weight", c.headSize() / 2)
                : null;
        return new ModelWeights(embedding, layers, finalNorm, classifier, ropeFreqFactors);
    }

    private WeightMatrix matrix(String name, int rows, int cols) {
        TensorInfo t = gguf.tensor(name);
        requireDims(t, cols, rows);
        if (cols % t.type().blockSize() != 0) {
            throw new ModelFormatException(gguf.path(), "tensor '" + name + "' has rows of " + cols + " values,"
                    + " not a whole number of " + t.type() + " blocks of " + t.type().blockSize());
        }
        return WeightMatrices.of(t.type(), gguf.map(t), 0, rows, cols);
    }

    /** A 1-D F32 or F16 tensor copied into a float array. */
    private float[] vector(String name, int length) {
        TensorInfo t = gguf.tensor(name);
        requireDims(t, length);
        ByteBuffer bytes = gguf.map(t);
        float[] values = new float[length];
        switch (t.type()) {
            case F32 -> bytes.asFloatBuffer().get(values);
            case F16 -> {
                for (int i = 0; i < length; i++) {
                    values[i] = Float16.f16ToFloat(bytes.getShort(2 * i));
                }
            }
            default -> throw new ModelFormatException(gguf.path(), "tensor '" + name + "' has type " + t.type()
                    + ", expected " + GgmlType.F32 + " or " + GgmlType.F16);
        }
        return values;
    }

    private void requireDims(TensorInfo t, long... expected) {
        if (!Arrays.equals(t.dims(), expected)) {
            throw new ModelFormatException(gguf.path(), "tensor '" + t.name() + "' has dims "
                    + Arrays.toString(t.dims()) + ", expected " + Arrays.toString(expected)
                    + " (GGUF order, innermost first)");
        }
    }
}
