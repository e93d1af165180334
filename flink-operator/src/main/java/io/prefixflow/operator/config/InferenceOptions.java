package io.prefixflow.operator.config;

import io.prefixflow.runtime.runner.Backend;
import io.prefixflow.runtime.runner.KvDtype;
import java.time.Duration;
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

    /** How each engine stores its KV cache. */
    public static final ConfigOption<KvDtype> KV_DTYPE = ConfigOptions.key("prefixflow.engine.kv-dtype")
            .enumType(KvDtype.class)
            .defaultValue(KvDtype.F32)
            .withDescription("How each subtask's engine stores its KV cache (CPU backend): F32 (exact), F16 (half"
                    + " the bytes) or Q8_0 (8 bits per 32 values and an F16 scale, as llama.cpp's q8_0 cache;"
                    + " 1.0625 bytes per value, head size a multiple of 32). The same kv-cache-size then holds 2 or"
                    + " 3.8 times as many blocks.");

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
            .defaultValue(RoutingMode.CACHE_AWARE)
            .withDescription("CACHE_AWARE sends a request to the subtask holding the longest prefix of its prompt"
                    + " unless that subtask is past the balance bound, so a hot prefix spreads over as many"
                    + " subtasks as its load needs; PREFIX routes by the fixed fingerprint of the first k blocks"
                    + " (or cache_key), so shared prefixes meet on one subtask however hot; ROUND_ROBIN spreads"
                    + " requests evenly in turn, regardless of the prompt (a baseline for comparisons).");

    /** Cache-aware: size of each prepare subtask's prefix index. */
    public static final ConfigOption<Integer> ROUTING_INDEX_CAPACITY = ConfigOptions
            .key("prefixflow.routing.index-capacity")
            .intType()
            .defaultValue(100_000)
            .withDescription("CACHE_AWARE: most block hashes each prepare subtask remembers the subtasks of"
                    + " (least recently used out; about 200 bytes each).");

    /** Cache-aware: absolute balance threshold. */
    public static final ConfigOption<Integer> ROUTING_BALANCE_ABS = ConfigOptions
            .key("prefixflow.routing.balance-abs-threshold")
            .intType()
            .defaultValue(256)
            .withDescription("CACHE_AWARE: a prefix gets more than two replicas only while its recent work (decayed,"
                    + " all prepare subtasks together) exceeds this many tokens; and a replica holding the prefix is"
                    + " chosen only while its outstanding work is within this many tokens (divided by the prepare"
                    + " parallelism when there are no load reports) of the least loaded replica's; with load"
                    + " reports, a subtask over balance-rel-threshold times the mean work plus this many tokens"
                    + " passes the request to a subtask at or below the mean.");

    /** Cache-aware: relative balance threshold. */
    public static final ConfigOption<Double> ROUTING_BALANCE_REL = ConfigOptions
            .key("prefixflow.routing.balance-rel-threshold")
            .doubleType()
            .defaultValue(1.25)
            .withDescription("CACHE_AWARE: headroom of a hot prefix's replica set: a prefix carrying a share f of"
                    + " the recent work gets ceil(this * parallelism * f) replicas (a factor >= 1); with load"
                    + " reports, a subtask whose outstanding work is over this times the mean plus"
                    + " balance-abs-threshold is overloaded.");

    /** Cache-aware: how long the load estimate remembers routed work. */
    public static final ConfigOption<Duration> ROUTING_LOAD_HALF_LIFE = ConfigOptions
            .key("prefixflow.routing.load-half-life")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("CACHE_AWARE: routed work (uncached prompt tokens + max_tokens) counts as outstanding"
                    + " and decays with this half-life, times the number of prepare subtasks (each sees that share"
                    + " of the traffic); long enough to span several arrivals, short enough that work an engine"
                    + " has finished is soon forgotten.");

    /** Cache-aware: when an unused replica of a prefix is forgotten. */
    public static final ConfigOption<Duration> ROUTING_REPLICA_IDLE_TIMEOUT = ConfigOptions
            .key("prefixflow.routing.replica-idle-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("CACHE_AWARE: a subtask that has not been sent a prefix for this long stops"
                    + " counting as holding it, so a prefix that cooled down loses its extra replicas.");

    /** Cache-aware: how often inference subtasks report their outstanding work to the prepare subtasks. */
    public static final ConfigOption<Duration> ROUTING_LOAD_REPORT_INTERVAL = ConfigOptions
            .key("prefixflow.routing.load-report-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(100))
            .withDescription("CACHE_AWARE: each inference subtask publishes its outstanding work (prompt tokens"
                    + " still to compute plus tokens still to generate) this often, on the load topic of the Kafka"
                    + " job, and every prepare subtask balances on the reports instead of its own estimate; 0"
                    + " turns reports off. Reports older than 20 intervals are ignored.");

    /** Chat template: time budget of one rendering. */
    public static final ConfigOption<Duration> CHAT_TEMPLATE_TIMEOUT = ConfigOptions
            .key("prefixflow.limits.chat-template-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(2))
            .withDescription("A chat template that has not rendered a request's messages within this time is"
                    + " stopped, and the request gets an error completion naming this option.");

    /** Chat template: size of its output. */
    public static final ConfigOption<MemorySize> MAX_RENDERED_PROMPT_BYTES = ConfigOptions
            .key("prefixflow.limits.max-rendered-prompt-bytes")
            .memoryType()
            .defaultValue(MemorySize.parse("2mb"))
            .withDescription("Largest prompt a chat template may render (UTF-8 bytes; also bounds each string and"
                    + " list it builds); beyond it the request gets an error completion naming this option.");
}
