package io.prefixflow.runtime.structured;

import io.prefixflow.runtime.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compiles response formats for one model's vocabulary and keeps the most recent ones with their mask
 * caches, so that a stream of requests with the same schema compiles it once. Thread-safe: formats may be
 * compiled on submitting threads, off the engine's step loop.
 *
 * <pre>{@code
 * StructuredOutput structured = new StructuredOutput(model.tokenizer(), model.config().vocabSize(), model.stopTokenIds());
 * TokenConstraint constraint = new TokenConstraint(structured.masks(ResponseFormat.choice(List.of("yes", "no"))));
 * }</pre>
 */
public final class StructuredOutput {
    /** How many compiled formats are kept. */
    public static final int CACHED_FORMATS = 64;

    private final Tokenizer tokenizer;
    private final int vocabSize;
    private final int[] stopTokenIds;
    private TokenTrie trie;
    private final Map<ResponseFormat, TokenMasks> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ResponseFormat, TokenMasks> eldest) {
            return size() > CACHED_FORMATS;
        }
    };

    /**
     * @param tokenizer    the model's tokenizer
     * @param vocabSize    the model's vocabulary size (length of its logits)
     * @param stopTokenIds tokens that end a generation, allowed where the output is complete
     */
    public StructuredOutput(Tokenizer tokenizer, int vocabSize, Set<Integer> stopTokenIds) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.vocabSize = vocabSize;
        this.stopTokenIds = stopTokenIds.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * The masks of {@code format}, compiled now or taken from the cache.
     *
     * @throws UnsupportedFormatException naming what is malformed or unsupported
     */
    public TokenMasks masks(ResponseFormat format) {
        Objects.requireNonNull(format, "format");
        synchronized (cache) {
            TokenMasks cached = cache.get(format);
            if (cached != null) {
                return cached;
            }
        }
        TokenMasks masks = new TokenMasks(format.compile(), trie(), stopTokenIds);
        // The start state's mask is always needed: compute it here, on the caller's thread.
        masks.mask(masks.dfa().start());
        synchronized (cache) {
            cache.put(format, masks);
        }
        return masks;
    }

    private synchronized TokenTrie trie() {
        if (trie == null) {
            trie = TokenTrie.of(tokenizer, vocabSize);
        }
        return trie;
    }
}
