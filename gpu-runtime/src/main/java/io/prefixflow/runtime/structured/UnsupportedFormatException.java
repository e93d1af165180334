package io.prefixflow.runtime.structured;

/**
 * A response format that cannot be compiled: malformed, or using a feature of JSON Schema or regular
 * expressions that structured output does not support. The message names the feature and where it is.
 */
public final class UnsupportedFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnsupportedFormatException(String message) {
        super(message);
    }
}
