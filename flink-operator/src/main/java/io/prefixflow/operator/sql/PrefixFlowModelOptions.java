package io.prefixflow.operator.sql;

import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.runtime.runner.Backend;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

/**
 * The {@code WITH} options of {@code CREATE MODEL ... WITH ('provider' = 'prefixflow', ...)}. They mirror the
 * DataStream job's {@code prefixflow.*} options (model, engine) and the request fields (sampling), so one
 * model spec means the same in SQL, the job and the CLI. Checked by {@link PredictSettings}.
 */
public final class PrefixFlowModelOptions {
    private PrefixFlowModelOptions() {
    }

    /** Which model to serve. */
    public static final ConfigOption<String> MODEL = ConfigOptions.key("model")
            .stringType()
            .noDefaultValue()
            .withDescription("A GGUF file, a llama2.c checkpoint (with 'tokenizer'), dummy:SHAPE, or "
                    + ModelSpecs.BUILTIN_STORIES + ". Every TaskManager must be able to read a file path.");

    /** llama2.c tokenizer file. */
    public static final ConfigOption<String> TOKENIZER = ConfigOptions.key("tokenizer")
            .stringType()
            .noDefaultValue()
            .withDescription("llama2.c tokenizer.bin for llama2.c checkpoints (GGUF files carry their own).");

    /** Context length override. */
    public static final ConfigOption<Integer> CONTEXT_LENGTH = ConfigOptions.key("context-length")
            .intType()
            .noDefaultValue()
            .withDescription("Serve the model with this context length in tokens instead of its own.");

    /** Engine backend. */
    public static final ConfigOption<Backend> BACKEND = ConfigOptions.key("backend")
            .enumType(Backend.class)
            .defaultValue(Backend.CPU)
            .withDescription("Where the engine runs the model: CPU (pure Java) or CUDA.");

    /** CPU threads of the slot's engine. */
    public static final ConfigOption<Integer> THREADS = ConfigOptions.key("threads")
            .intType()
            .defaultValue(1)
            .withDescription("CPU threads of each slot's engine.");

    /** KV cache of the slot's engine. */
    public static final ConfigOption<MemorySize> KV_CACHE_SIZE = ConfigOptions.key("kv-cache-size")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(256))
            .withDescription("KV cache memory of each slot's engine.");

    /** Most tokens generated per row. */
    public static final ConfigOption<Integer> MAX_TOKENS = ConfigOptions.key("max-tokens")
            .intType()
            .defaultValue(256)
            .withDescription("Most tokens to generate for each row.");

    /** Sampling temperature. */
    public static final ConfigOption<Double> TEMPERATURE = ConfigOptions.key("temperature")
            .doubleType()
            .defaultValue(0.0)
            .withDescription("0 = greedy (the default).");

    /** Nucleus threshold. */
    public static final ConfigOption<Double> TOP_P = ConfigOptions.key("top-p")
            .doubleType()
            .defaultValue(1.0)
            .withDescription("Nucleus sampling threshold in (0, 1]; 1 = off.");

    /** Top-k. */
    public static final ConfigOption<Integer> TOP_K = ConfigOptions.key("top-k")
            .intType()
            .defaultValue(0)
            .withDescription("Keep the K most likely tokens; 0 = off.");

    /** Random seed. */
    public static final ConfigOption<Long> SEED = ConfigOptions.key("seed")
            .longType()
            .defaultValue(0L)
            .withDescription("Random seed of every row, as generate's --seed: the same prompt and seed give the"
                    + " same completion.");

    /** Stop strings. */
    public static final ConfigOption<List<String>> STOP = ConfigOptions.key("stop")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("Stop before any of these strings; separated by ';'.");

    /** System prompt. */
    public static final ConfigOption<String> SYSTEM_PROMPT = ConfigOptions.key("system-prompt")
            .stringType()
            .noDefaultValue()
            .withDescription("A system message; with it each prompt becomes the user message and both are"
                    + " rendered with the model's chat template (a model without one is an error).");

    /** Structured output. */
    public static final ConfigOption<String> RESPONSE_FORMAT = ConfigOptions.key("response-format")
            .stringType()
            .noDefaultValue()
            .withDescription("Constrain every completion, as a request's response_format: a JSON object such as"
                    + " {\"type\":\"choice\",\"choices\":[\"positive\",\"negative\"]}, {\"type\":\"json_object\"},"
                    + " {\"type\":\"json_schema\",\"json_schema\":{...}} or {\"type\":\"regex\",\"pattern\":\"...\"}.");
}
