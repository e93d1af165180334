package io.prefixflow.runtime.generate;

/** Why a generation ended; {@link #wireName()} is the name in JSON and Avro. */
public enum FinishReason {
    /** A stop token or stop string. */
    STOP("stop"),
    /** max_tokens reached, or the context is full. */
    LENGTH("length"),
    ABORTED("aborted"),
    ERROR("error");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
