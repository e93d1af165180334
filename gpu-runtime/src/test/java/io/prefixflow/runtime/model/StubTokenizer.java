package io.prefixflow.runtime.model;

import io.prefixflow.runtime.tokenizer.Tokenizer;

/** A tokenizer that only knows its vocabulary size, for loader tests. */
record StubTokenizer(int vocabSize) implements Tokenizer {
    @Override
    public int[] encode(String text, boolean addBos) {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public byte[] decode(int prevToken, int token) {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public int bosId() {
        return 1;
    }

    @Override
    public int eosId() {
        return 2;
    }
}
