package io.prefixflow.operator.config;

import io.prefixflow.runtime.runner.Backend;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * Every setting of the prepare stage and the {@code InferenceOperator}, as typed Flink {@link ConfigOption}s.
 * They are read once, when the job graph is built, into {@link InferenceSettings} (which checks them and
 * names the offending key), so they can come from {@code flink-conf.yaml}, {@code -D} on {@code flink run},
 * or the command line of the {@code run} and {@code quickstart} commands.
 */
public final class InferenceOptions {
    private InferenceOptions() {
    }

    /** Which model to serve. */
    public static final ConfigOption<String> MODEL = ConfigOptions.key("prefixflow.model")
            .stringType()
            .defaultValue(ModelSpecs.BUILTIN_STORIES)
            .withDescription("The model: a GGUF file, a llama2.c checkpoint (with prefixflow.model.tokenizer),"
                    + " dummy:SHAPE, or " + ModelSpecs.BUILTIN_STORIES + " (the tiny TinyStories model inside"
                    + " the jar). Every TaskManager must be able to read a file path.");

    /** llama2.c tokenizer file. */
    public static final ConfigOption<String> TOKENIZER = ConfigOptions.key("prefixflow.model.tokenizer")
            .stringType()
            .noDefaultValue()
            .withDescription("llama2.c tokenizer.bin for llama2.c checkpoints (GGUF files carry their own).");

    /** Context length override. */
    public static final ConfigOption<Integer> CONTEXT_LENGTH = ConfigOptions.key("prefixflow.model.context-length")
            .intType()
            .noDefaultValue()
            .withDescription("Serve the model with this context length in tokens instead of its own.");

    /** Which engine backend runs the model. */
    public static final ConfigOption<Backend> BACKEND = ConfigOptions.key("prefixflow.engine.backend")
            .enumType(Backend.class)
            .defaultValue(Backend.CPU)
            .withDescription("Where the engine runs the model: CPU (pure Java, Vector API).");

    /** CPU threads per engine. */
    public static final ConfigOption<Integer> THREADS = ConfigOptions.key("prefixflow.engine.threads")
            .intType()
            .defaultValue(1)
            .withDescription("CPU threads of each subtask's engine.");

    /** KV cache size per engine. */
    public static final ConfigOption<MemorySize> KV_CACHE_SIZE = ConfigOptions.key("prefixflow.engine.kv-cache-size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(256))
            .withDescription("KV cache memory of each subtask's engine; a request that can never fit is"
                    + " answered with an error completion.");

    /** Tokens per KV block. */
    public static final ConfigOption<Integer> BLOCK_SIZE = ConfigOptions.key("prefixflow.engine.block-size")
            .intType()
            .defaultValue(16)
            .withDescription("Tokens per KV block; also the block size of the routing fingerprint.");

    /** Token budget of one engine step. */
    public static final ConfigOption<Integer> MAX_BATCHED_TOKENS = ConfigOptions
            .key("prefixflow.engine.max-batched-tokens")
            .intType()
            .defaultValue(512)
            .withDescription("Most tokens per engine step; longer prompts are prefilled in chunks.");

    /** Sequences running at once. */
    public static final ConfigOption<Integer> MAX_RUNNING = ConfigOptions.key("prefixflow.engine.max-running")
            .intType()
            .defaultValue(64)
            .withDescription("Most sequences holding KV blocks at once in one engine.");

    /** Prefix caching switch. */
    public static final ConfigOption<Boolean> PREFIX_CACHING = ConfigOptions.key("prefixflow.engine.prefix-caching")
            .booleanType()
            .defaultValue(true)
            .withDescription("Cache and reuse the KV of shared prompt prefixes.");

    /** Bound on requests a subtask holds. */
    public static final ConfigOption<Integer> MAX_IN_FLIGHT = ConfigOptions.key("prefixflow.operator.max-in-flight")
            .intType()
            .defaultValue(128)
            .withDescription("Most requests one operator subtask holds (queued in or running on its engine);"
                    + " when full it stops taking input, so backpressure reaches Kafka.");

    /** Routing fingerprint length. */
    public static final ConfigOption<Integer> ROUTING_PREFIX_BLOCKS = ConfigOptions
            .key("prefixflow.routing.prefix-blocks")
            .intType()
            .defaultValue(4)
            .withDescription("The routing key is the chained hash of the prompt's first k full KV blocks"
                    + " (fewer if the prompt has fewer; the whole prompt if it has none), unless the"
                    + " request gives a cache_key.");

    /** Routing mode. */
    public static final ConfigOption<RoutingMode> ROUTING_MODE = ConfigOptions.key("prefixflow.routing.mode")
            .enumType(RoutingMode.class)
            .defaultValue(RoutingMode.PREFIX)
            .withDescription("PREFIX routes by the prefix fingerprint (or cache_key), so shared prefixes meet on"
                    + " one subtask; ROUND_ROBIN spreads requests evenly over the subtasks in turn, regardless"
                    + " of the prompt (a baseline for comparisons).");
}
