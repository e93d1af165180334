package io.prefixflow.runtime.generate;

/** Hears each generated token as it is sampled, with the text that is now safe to show. */
@FunctionalInterface
public interface TokenListener {
    /** @param textDelta text made final by this token (may be empty: a partial character or a possible stop string) */
    void onToken(int tokenId, String textDelta);

    TokenListener NONE = (tokenId, textDelta) -> { };
}
