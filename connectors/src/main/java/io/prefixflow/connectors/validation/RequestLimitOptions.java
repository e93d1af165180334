package io.prefixflow.connectors.validation;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * How much one request may ask for, as typed Flink {@link ConfigOption}s; read into {@link RequestLimits}.
 * Every limit is checked when a record is decoded, before any tokenization or rendering, and a request over
 * one becomes a dead letter whose reason names the option.
 */
public final class RequestLimitOptions {
    private RequestLimitOptions() {
    }

    /** Prompt size. */
    public static final ConfigOption<MemorySize> MAX_PROMPT_BYTES = ConfigOptions
            .key("prefixflow.limits.max-prompt-bytes")
            .memoryType()
            .defaultValue(MemorySize.parse("1mb"))
            .withDescription("Largest prompt, in UTF-8 bytes: the prompt text, or the roles and contents of all"
                    + " chat messages together. Checked before tokenization.");

    /** Chat messages per request. */
    public static final ConfigOption<Integer> MAX_MESSAGES = ConfigOptions.key("prefixflow.limits.max-messages")
            .intType()
            .defaultValue(256)
            .withDescription("Most chat messages in one request.");

    /** Stop strings per request. */
    public static final ConfigOption<Integer> MAX_STOP_STRINGS = ConfigOptions
            .key("prefixflow.limits.max-stop-strings")
            .intType()
            .defaultValue(16)
            .withDescription("Most stop strings in one request (each generated token is checked against all).");

    /** Length of one stop string. */
    public static final ConfigOption<Integer> MAX_STOP_STRING_CHARS = ConfigOptions
            .key("prefixflow.limits.max-stop-string-length")
            .intType()
            .defaultValue(256)
            .withDescription("Longest stop string, in UTF-16 chars (Java string length).");

    /** Metadata entries per request. */
    public static final ConfigOption<Integer> MAX_METADATA_ENTRIES = ConfigOptions
            .key("prefixflow.limits.max-metadata-entries")
            .intType()
            .defaultValue(64)
            .withDescription("Most entries in a request's metadata map.");

    /** Metadata size per request. */
    public static final ConfigOption<MemorySize> MAX_METADATA_BYTES = ConfigOptions
            .key("prefixflow.limits.max-metadata-bytes")
            .memoryType()
            .defaultValue(MemorySize.parse("16kb"))
            .withDescription("Largest metadata map, in UTF-8 bytes of all keys and values together.");

    /** How much of a refused record a dead letter keeps. */
    public static final ConfigOption<MemorySize> DEAD_LETTER_PAYLOAD_BYTES = ConfigOptions
            .key("prefixflow.limits.dead-letter-payload-bytes")
            .memoryType()
            .defaultValue(MemorySize.parse("64kb"))
            .withDescription("A dead letter keeps at most this many bytes of the refused record (its reason says"
                    + " when it was cut), so a huge record cannot exceed the dead-letter topic's message size.");
}
