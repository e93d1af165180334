package io.prefixflow.runtime.structured;

import java.util.Objects;

/**
 * One request's place in its constraint: which tokens may come next, and whether the output is complete.
 * Mutable; owned by the thread that samples the request.
 *
 * <pre>{@code
 * TokenConstraint c = new TokenConstraint(masks);
 * long[] allowed = c.allowedTokens(lastToken);    // before sampling
 * c.advance(token);                               // after sampling a non-stop token
 * if (c.isComplete()) { ... finish with STOP ... }
 * }</pre>
 */
public final class TokenConstraint {
    private final TokenMasks masks;
    private final ByteDfa dfa;
    private int state;
    /** The mask minus tokens that print differently after BOS; allocated on the first need. */
    private long[] afterBosScratch;

    public TokenConstraint(TokenMasks masks) {
        this.masks = Objects.requireNonNull(masks, "masks");
        this.dfa = masks.dfa();
        this.state = dfa.start();
    }

    /**
     * The tokens that may follow {@code previousToken} now, as a bitset over the vocabulary; do not modify.
     * Right after BOS, tokens whose text changes there (SPM drops a leading space) are left out, so that
     * the bytes the automaton reads are always the bytes the text gets.
     */
    public long[] allowedTokens(int previousToken) {
        long[] mask = masks.mask(state);
        TokenTrie trie = masks.trie();
        if (previousToken != trie.bosId() || previousToken < 0) {
            return mask;
        }
        if (afterBosScratch == null) {
            afterBosScratch = new long[mask.length];
        }
        long[] different = trie.differentAfterBos();
        for (int i = 0; i < mask.length; i++) {
            afterBosScratch[i] = mask[i] & ~different[i];
        }
        return afterBosScratch;
    }

    /** Whether no token may come next: the vocabulary cannot continue the output. */
    public boolean isStuck() {
        return masks.isEmpty(state);
    }

    /**
     * Moves past {@code token}, a non-stop token that was allowed.
     *
     * @throws IllegalArgumentException if the token prints no text or its bytes break the constraint
     */
    public void advance(int token) {
        byte[] bytes = masks.trie().bytesOf(token);
        int next = bytes == null ? ByteDfa.DEAD : dfa.walk(state, bytes);
        if (next == ByteDfa.DEAD) {
            throw new IllegalArgumentException("token " + token + " does not continue the constrained output");
        }
        state = next;
    }

    /** Whether the output is complete and nothing may follow it: the request ends here. */
    public boolean isComplete() {
        return dfa.isFinal(state);
    }

    /** Whether the output so far is complete (a stop token may end it). */
    public boolean isAccepting() {
        return dfa.isAccepting(state);
    }

    public boolean isStopToken(int token) {
        return masks.isStopToken(token);
    }
}
