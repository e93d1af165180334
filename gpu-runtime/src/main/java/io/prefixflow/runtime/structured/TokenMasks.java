package io.prefixflow.runtime.structured;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The allowed-token masks of one compiled constraint over one vocabulary: for a DFA state, bit {@code id}
 * of the mask is set when token {@code id}'s bytes keep the output completable, and the stop tokens' bits
 * are set when the output read so far is complete. Masks are computed on first use and cached per state,
 * so a request pays for a state once and every later request with the same format not at all.
 *
 * <p>Thread-safe: a mask is published through an {@link AtomicReferenceArray}; two threads asking for the
 * same new state may both compute it, with equal results.
 */
public final class TokenMasks {
    private final ByteDfa dfa;
    private final TokenTrie trie;
    private final int[] stopTokenIds;
    private final int numWords;
    private final AtomicReferenceArray<long[]> maskOfState;
    /** Whether a state's mask is empty, written before its mask is published. */
    private final boolean[] emptyOfState;

    /**
     * @param stopTokenIds the model's end-of-sequence tokens, allowed where the output is complete
     */
    public TokenMasks(ByteDfa dfa, TokenTrie trie, int[] stopTokenIds) {
        this.dfa = Objects.requireNonNull(dfa, "dfa");
        this.trie = Objects.requireNonNull(trie, "trie");
        this.stopTokenIds = stopTokenIds.clone();
        this.numWords = (trie.vocabSize() + 63) >>> 6;
        this.maskOfState = new AtomicReferenceArray<>(dfa.numStates());
        this.emptyOfState = new boolean[dfa.numStates()];
    }

    public ByteDfa dfa() {
        return dfa;
    }

    public TokenTrie trie() {
        return trie;
    }

    /** The mask of {@code state}: {@code ceil(vocabSize / 64)} words, bit {@code id % 64} of word {@code id / 64}; do not modify. */
    public long[] mask(int state) {
        long[] mask = maskOfState.get(state);
        if (mask == null) {
            mask = compute(state);
            maskOfState.set(state, mask);
        }
        return mask;
    }

    /** Whether no token at all may follow {@code state} (a vocabulary that cannot spell what must come next). */
    public boolean isEmpty(int state) {
        mask(state);
        return emptyOfState[state];
    }

    public boolean isStopToken(int token) {
        for (int id : stopTokenIds) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }

    private long[] compute(int state) {
        long[] mask = new long[numWords];
        trie.allowedTokens(dfa, state, mask);
        if (dfa.isAccepting(state)) {
            for (int id : stopTokenIds) {
                if (id >= 0 && id < trie.vocabSize()) {
                    mask[id >>> 6] |= 1L << id;
                }
            }
        }
        boolean empty = true;
        for (long word : mask) {
            if (word != 0) {
                empty = false;
                break;
            }
        }
        emptyOfState[state] = empty;
        return mask;
    }
}
