package io.prefixflow.runtime.structured;

import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic vocabulary of {@code size} tokens for masking benchmarks where no real vocabulary of that size is
 * at hand: a real vocabulary's text tokens, then seeded concatenations of two of its text tokens (distinct, as a
 * BPE merge table grows) until the size is reached. Its trie is as deep and as branchy as a real one's, which is
 * what masking cost depends on. Decodes only; {@link #encode} is not needed by masks.
 */
final class MergedVocabulary implements Tokenizer {
    private final Tokenizer base;
    private final List<byte[]> tokens = new ArrayList<>();

    MergedVocabulary(Tokenizer base, int size, long seed) {
        this.base = base;
        List<byte[]> text = new ArrayList<>();
        HashSet<String> seen = new HashSet<>();
        for (int id = 0; id < base.vocabSize(); id++) {
            byte[] bytes = base.textBytes(id);
            tokens.add(bytes);
            if (bytes != null) {
                text.add(bytes);
                seen.add(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        while (tokens.size() < size) {
            byte[] a = text.get(random.nextInt(text.size()));
            byte[] b = text.get(random.nextInt(text.size()));
            byte[] merged = new byte[a.length + b.length];
            System.arraycopy(a, 0, merged, 0, a.length);
            System.arraycopy(b, 0, merged, a.length, b.length);
            if (seen.add(new String(merged, java.nio.charset.StandardCharsets.ISO_8859_1))) {
                tokens.add(merged);
            }
        }
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        throw new UnsupportedOperationException("a synthetic vocabulary for masking benchmarks does not encode");
    }

    @Override
    public byte[] decode(int prevToken, int token) {
        byte[] bytes = tokens.get(token);
        return bytes == null ? new byte[0] : bytes;
    }

    @Override
    public byte[] textBytes(int token) {
        return tokens.get(token);
    }

    @Override
    public int vocabSize() {
        return tokens.size();
    }

    @Override
    public int bosId() {
        return base.bosId();
    }

    @Override
    public int eosId() {
        return base.eosId();
    }
}
