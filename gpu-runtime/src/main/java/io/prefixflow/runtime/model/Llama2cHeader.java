package io.prefixflow.runtime.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 7 x int32 little-endian header of a legacy llama2.c checkpoint, and the file layout it implies.
 *
 * <pre>
 *  header (28 bytes) | token_embedding (vocab, dim) | rms_att (L, dim) | wq (L, dim, dim)
 *  | wk (L, kvDim, dim) | wv (L, kvDim, dim) | wo (L, dim, dim) | rms_ffn (L, dim)
 *  | w1 (L, hidden, dim) | w2 (L, dim, hidden) | w3 (L, hidden, dim) | rms_final (dim)
 *  | freq_cis_real (seqLen, headSize/2) | freq_cis_imag (seqLen, headSize/2) | [classifier (vocab, dim)]
 * </pre>
 * All tensors are float32; the classifier is present only when the stored vocab size is negative.
 *
 * @param dim              model width
 * @param hiddenDim        feed-forward width
 * @param numLayers        transformer blocks
 * @param numHeads         query heads
 * @param numKvHeads       key/value heads
 * @param vocabSize        vocabulary size (the absolute value of the stored field)
 * @param sharedClassifier true when the stored vocab size is positive: the classifier is the embedding
 * @param seqLen           maximum sequence length, in tokens
 */
public record Llama2cHeader(int dim, int hiddenDim, int numLayers, int numHeads, int numKvHeads, int vocabSize,
                            boolean sharedClassifier, int seqLen) {
    public static final int SIZE_BYTES = 7 * Integer.BYTES;

    /** Loose upper bounds that tell a real header from arbitrary bytes. */
    private static final int MAX_DIM = 1 << 16;
    private static final int MAX_HIDDEN_DIM = 1 << 18;
    private static final int MAX_LAYERS = 1 << 10;
    private static final int MAX_VOCAB = 1 << 22;
    private static final int MAX_SEQ_LEN = 1 << 24;

    public Llama2cHeader {
        check("dim", dim, MAX_DIM);
        check("hidden_dim", hiddenDim, MAX_HIDDEN_DIM);
        check("n_layers", numLayers, MAX_LAYERS);
        check("n_heads", numHeads, dim);
        check("n_kv_heads", numKvHeads, numHeads);
        check("vocab_size", vocabSize, MAX_VOCAB);
        check("seq_len", seqLen, MAX_SEQ_LEN);
        if (dim % numHeads != 0 || numHeads % numKvHeads != 0 || (dim / numHeads) % 2 != 0) {
            throw new IllegalArgumentException("dim " + dim + ", n_heads " + numHeads + ", n_kv_heads " + numKvHeads
                    + " do not make whole, even-sized heads");
        }
    }

    private static void check(String field, int value, int max) {
        if (value <= 0 || value > max) {
            throw new IllegalArgumentException(field + " = " + value + " is outside 1.." + max);
        }
    }

    /**
     * Parses the first {@link #SIZE_BYTES} bytes of {@code bytes}.
     *
     * @throws IllegalArgumentException naming the first implausible field
     */
    public static Llama2cHeader parse(ByteBuffer bytes) {
        ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int dim = in.getInt();
        int hiddenDim = in.getInt();
        int numLayers = in.getInt();
        int numHeads = in.getInt();
        int numKvHeads = in.getInt();
        int storedVocab = in.getInt();
        int seqLen = in.getInt();
        if (storedVocab == Integer.MIN_VALUE) {
            throw new IllegalArgumentException("vocab_size = " + storedVocab + " is implausible");
        }
        return new Llama2cHeader(dim, hiddenDim, numLayers, numHeads, numKvHeads, Math.abs(storedVocab),
                storedVocab > 0, seqLen);
    }

    public int headSize() {
        return dim / numHeads;
    }

    public int kvDim() {
        return numKvHeads * headSize();
    }

    /** The exact size in bytes of a checkpoint with this header. */
    public long expectedFileSizeBytes() {
        long l = numLayers;
        long floats = (long) vocabSize * dim                    // token embedding
                + l * dim                                       // rms_att
                + l * dim * dim * 2                             // wq, wo
                + l * kvDim() * dim * 2                         // wk, wv
                + l * dim                                       // rms_ffn
                + l * hiddenDim * dim * 3                       // w1, w2, w3
                + dim                                           // rms_final
                + (long) seqLen * headSize()                    // freq_cis real + imag, headSize/2 each
                + (sharedClassifier ? 0 : (long) vocabSize * dim);
        return SIZE_BYTES + floats * Float.BYTES;
    }

    /** The model configuration: RoPE on adjacent pairs, theta 10000, RMSNorm eps 1e-5, as run.c has them. */
    public ModelConfig toConfig() {
        return new ModelConfig(dim, hiddenDim, numLayers, numHeads, numKvHeads, vocabSize, seqLen, 1e-5f,
                10_000f, RopeStyle.ADJACENT_PAIRS);
    }
}
