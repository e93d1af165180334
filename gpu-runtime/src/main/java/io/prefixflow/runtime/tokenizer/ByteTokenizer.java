package io.prefixflow.runtime.tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * A minimal deterministic tokenizer for {@code dummy:} models, which have random weights and no vocabulary
 * of their own: one token per UTF-8 byte.
 *
 * <pre>
 *   id 0        unused (unknown)
 *   id 1        BOS
 *   id 2        EOS
 *   id 3..258   the bytes 0x00..0xFF
 *   id 259..    no text: decodes to the placeholder piece "&lt;id&gt;"
 * </pre>
 *
 * NOTE: it exists so that text prompts can run through the pipeline on dummy models (benchmarks); the
 * generated text of a random model is meaningless anyway, hence the placeholder for ids above the bytes.
 */
public final class ByteTokenizer implements Tokenizer {
    /** BOS id. */
    public static final int BOS_ID = 1;
    /** EOS id. */
    public static final int EOS_ID = 2;
    /** Id of byte 0x00; byte b has id {@code FIRST_BYTE_ID + b}. */
    public static final int FIRST_BYTE_ID = 3;
    /** The smallest vocabulary that holds every byte. */
    public static final int MIN_VOCAB_SIZE = FIRST_BYTE_ID + 256;

    private final int vocabSize;

    /** @param vocabSize the model's vocabulary size, at least {@link #MIN_VOCAB_SIZE} */
    public ByteTokenizer(int vocabSize) {
        if (vocabSize < MIN_VOCAB_SIZE) {
            throw new IllegalArgumentException("a byte tokenizer needs a vocabulary of at least " + MIN_VOCAB_SIZE
                    + " tokens, got " + vocabSize);
        }
        this.vocabSize = vocabSize;
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int offset = addBos ? 1 : 0;
        int[] ids = new int[bytes.length + offset];
        if (addBos) {
            ids[0] = BOS_ID;
        }
        for (int i = 0; i < bytes.length; i++) {
            ids[i + offset] = FIRST_BYTE_ID + (bytes[i] & 0xFF);
        }
        return ids;
    }

    @Override
    public byte[] decode(int prevToken, int token) {
        if (token >= FIRST_BYTE_ID && token < MIN_VOCAB_SIZE) {
            return new byte[] {(byte) (token - FIRST_BYTE_ID)};
        }
        if (token == BOS_ID || token == EOS_ID) {
            return new byte[0];
        }
        return ("<" + token + ">").getBytes(StandardCharsets.US_ASCII);
    }

    /** Only the byte ids have text; BOS, EOS, id 0 and the placeholders above the bytes have none. */
    @Override
    public byte[] textBytes(int token) {
        return token >= FIRST_BYTE_ID && token < MIN_VOCAB_SIZE ? new byte[] {(byte) (token - FIRST_BYTE_ID)} : null;
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int bosId() {
        return BOS_ID;
    }

    @Override
    public int eosId() {
        return EOS_ID;
    }
}
