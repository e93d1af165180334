package io.prefixflow.operator.prepare;

/**
 * A prompt that cannot fit the model's context, found before it was tokenized whole: its UTF-8 size alone proves
 * it needs at least {@link #leastTokens()} tokens.
 */
public final class PromptTooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long leastTokens;

    /**
     * @param leastTokens a lower bound on the prompt's tokens
     * @param maxTokens   the most tokens it may have
     */
    public PromptTooLongException(long leastTokens, int maxTokens) {
        super("the prompt needs at least " + leastTokens + " tokens, but at most " + maxTokens + " fit");
        this.leastTokens = leastTokens;
    }

    /** A lower bound on the prompt's tokens. */
    public long leastTokens() {
        return leastTokens;
    }
}
