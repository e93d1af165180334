package io.prefixflow.operator.config;

import java.io.Serializable;
import org.apache.flink.configuration.ReadableConfig;

/**
 * What one rendering of a chat template may cost: a model file's template is code from the internet, and a
 * request's messages are its input, so both are bounded.
 *
 * @param maxOutputBytes {@link InferenceOptions#MAX_RENDERED_PROMPT_BYTES}: the rendered prompt, in UTF-8 bytes;
 *                       also the longest string and list the template may build
 * @param timeoutMs      {@link InferenceOptions#CHAT_TEMPLATE_TIMEOUT}, milliseconds
 */
public record TemplateLimits(long maxOutputBytes, long timeoutMs) implements Serializable {
    /** The options' defaults. */
    public static final TemplateLimits DEFAULT = new TemplateLimits(
            InferenceOptions.MAX_RENDERED_PROMPT_BYTES.defaultValue().getBytes(),
            InferenceOptions.CHAT_TEMPLATE_TIMEOUT.defaultValue().toMillis());

    public TemplateLimits {
        if (maxOutputBytes < 1 || maxOutputBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(InferenceOptions.MAX_RENDERED_PROMPT_BYTES.key()
                    + " must be between 1 byte and 2 GiB, got " + maxOutputBytes + " bytes");
        }
        if (timeoutMs < 1) {
            throw new IllegalArgumentException(InferenceOptions.CHAT_TEMPLATE_TIMEOUT.key()
                    + " must be at least 1 ms, got " + timeoutMs + " ms");
        }
    }

    /** Reads and checks both options. */
    public static TemplateLimits from(ReadableConfig config) {
        return new TemplateLimits(config.get(InferenceOptions.MAX_RENDERED_PROMPT_BYTES).getBytes(),
                config.get(InferenceOptions.CHAT_TEMPLATE_TIMEOUT).toMillis());
    }
}
