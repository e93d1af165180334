package io.prefixflow.connectors.validation;

import java.util.Objects;

/**
 * The outcome of checking a request: valid, or invalid with a readable reason.
 *
 * @param reason null when valid; otherwise what is wrong, naming the field
 */
public record ValidationResult(String reason) {
    private static final ValidationResult OK = new ValidationResult(null);

    /** The valid result. */
    public static ValidationResult ok() {
        return OK;
    }

    /** An invalid result with the given reason. */
    public static ValidationResult invalid(String reason) {
        return new ValidationResult(Objects.requireNonNull(reason, "reason"));
    }

    /** True when the request may be served. */
    public boolean isValid() {
        return reason == null;
    }
}
