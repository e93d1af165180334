package io.prefixflow.connectors.validation;

import java.io.Serializable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The checked values of {@link RequestLimitOptions}: how much one request may ask for, and how much of a
 * refused record its dead letter keeps. Build it with {@link #from(ReadableConfig)}; every check names the key.
 *
 * @param maxPromptBytes            {@link RequestLimitOptions#MAX_PROMPT_BYTES}, UTF-8 bytes
 * @param maxMessages               {@link RequestLimitOptions#MAX_MESSAGES}
 * @param maxStopStrings            {@link RequestLimitOptions#MAX_STOP_STRINGS}
 * @param maxStopStringChars        {@link RequestLimitOptions#MAX_STOP_STRING_CHARS}, UTF-16 chars
 * @param maxMetadataEntries        {@link RequestLimitOptions#MAX_METADATA_ENTRIES}
 * @param maxMetadataBytes          {@link RequestLimitOptions#MAX_METADATA_BYTES}, UTF-8 bytes
 * @param deadLetterPayloadBytes    {@link RequestLimitOptions#DEAD_LETTER_PAYLOAD_BYTES}
 */
public record RequestLimits(long maxPromptBytes, int maxMessages, int maxStopStrings, int maxStopStringChars,
                            int maxMetadataEntries, long maxMetadataBytes, int deadLetterPayloadBytes)
        implements Serializable {
    /** The options' defaults. */
    public static final RequestLimits DEFAULT = new RequestLimits(
            RequestLimitOptions.MAX_PROMPT_BYTES.defaultValue().getBytes(),
            RequestLimitOptions.MAX_MESSAGES.defaultValue(),
            RequestLimitOptions.MAX_STOP_STRINGS.defaultValue(),
            RequestLimitOptions.MAX_STOP_STRING_CHARS.defaultValue(),
            RequestLimitOptions.MAX_METADATA_ENTRIES.defaultValue(),
            RequestLimitOptions.MAX_METADATA_BYTES.defaultValue().getBytes(),
            (int) RequestLimitOptions.DEAD_LETTER_PAYLOAD_BYTES.defaultValue().getBytes());

    public RequestLimits {
        atLeast(RequestLimitOptions.MAX_PROMPT_BYTES, maxPromptBytes, 1);
        atLeast(RequestLimitOptions.MAX_MESSAGES, maxMessages, 1);
        atLeast(RequestLimitOptions.MAX_STOP_STRINGS, maxStopStrings, 0);
        atLeast(RequestLimitOptions.MAX_STOP_STRING_CHARS, maxStopStringChars, 1);
        atLeast(RequestLimitOptions.MAX_METADATA_ENTRIES, maxMetadataEntries, 0);
        atLeast(RequestLimitOptions.MAX_METADATA_BYTES, maxMetadataBytes, 0);
        atLeast(RequestLimitOptions.DEAD_LETTER_PAYLOAD_BYTES, deadLetterPayloadBytes, 0);
    }

    /** Reads and checks every option, defaults included. */
    public static RequestLimits from(ReadableConfig config) {
        long deadLetterBytes = config.get(RequestLimitOptions.DEAD_LETTER_PAYLOAD_BYTES).getBytes();
        if (deadLetterBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(RequestLimitOptions.DEAD_LETTER_PAYLOAD_BYTES.key()
                    + " must be under 2 GiB, got " + deadLetterBytes + " bytes");
        }
        return new RequestLimits(
                config.get(RequestLimitOptions.MAX_PROMPT_BYTES).getBytes(),
                config.get(RequestLimitOptions.MAX_MESSAGES),
                config.get(RequestLimitOptions.MAX_STOP_STRINGS),
                config.get(RequestLimitOptions.MAX_STOP_STRING_CHARS),
                config.get(RequestLimitOptions.MAX_METADATA_ENTRIES),
                config.get(RequestLimitOptions.MAX_METADATA_BYTES).getBytes(),
                (int) deadLetterBytes);
    }

    private static void atLeast(ConfigOption<?> option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(option.key() + " must be >= " + min + ", got " + value);
        }
    }
}
