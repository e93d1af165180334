package io.prefixflow.operator.sql;

import io.prefixflow.runtime.sampling.SamplingParams;
import java.io.Serializable;
import java.util.List;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The checked options of one {@code prefixflow} model, carried (serialized) into its predict functions. Every
 * check names the option.
 *
 * @param engine       the slot engine it runs on
 * @param maxTokens    {@link PrefixFlowModelOptions#MAX_TOKENS}
 * @param temperature  {@link PrefixFlowModelOptions#TEMPERATURE}
 * @param topP         {@link PrefixFlowModelOptions#TOP_P}
 * @param topK         {@link PrefixFlowModelOptions#TOP_K}
 * @param seed         {@link PrefixFlowModelOptions#SEED}
 * @param stop         {@link PrefixFlowModelOptions#STOP}, possibly empty
 * @param systemPrompt {@link PrefixFlowModelOptions#SYSTEM_PROMPT}, or null for plain prompts
 * @param outputs      the model's OUTPUT columns, in schema order
 */
public record PredictSettings(EngineSpec engine, int maxTokens, float temperature, float topP, int topK, long seed,
                              List<String> stop, String systemPrompt, List<OutputColumn> outputs,
                              String responseFormat)
        implements Serializable {
    public PredictSettings {
        if (engine == null) {
            throw new IllegalArgumentException("the engine settings must be given");
        }
        stop = List.copyOf(stop);
        outputs = List.copyOf(outputs);
        if (!outputs.contains(OutputColumn.COMPLETION)) {
            throw new IllegalArgumentException("a prefixflow model's OUTPUT must declare 'completion STRING'; the"
                    + " optional columns are " + OutputColumn.knownColumns());
        }
        if (systemPrompt != null && systemPrompt.isEmpty()) {
            throw new IllegalArgumentException("'" + PrefixFlowModelOptions.SYSTEM_PROMPT.key() + "' must not be empty");
        }
        samplingOrThrow(maxTokens, temperature, topP, topK, seed, stop);
        if (responseFormat != null) {
            try {
                io.prefixflow.runtime.structured.ResponseFormat.fromJson(responseFormat);
            } catch (RuntimeException e) {
                throw bad(PrefixFlowModelOptions.RESPONSE_FORMAT.key(), "is not a response format: " + e.getMessage());
            }
        }
    }

    /** The constraint of every row, or null. */
    public io.prefixflow.runtime.structured.ResponseFormat parsedResponseFormat() {
        return responseFormat == null ? null : io.prefixflow.runtime.structured.ResponseFormat.fromJson(responseFormat);
    }

    /** Reads the options (defaults included) and checks them. */
    public static PredictSettings from(ReadableConfig options, List<OutputColumn> outputs) {
        EngineSpec engine = new EngineSpec(
                options.get(PrefixFlowModelOptions.MODEL),
                options.getOptional(PrefixFlowModelOptions.TOKENIZER).orElse(null),
                options.getOptional(PrefixFlowModelOptions.CONTEXT_LENGTH).orElse(null),
                options.get(PrefixFlowModelOptions.BACKEND),
                options.get(PrefixFlowModelOptions.THREADS),
                options.get(PrefixFlowModelOptions.KV_CACHE_SIZE).getBytes());
        return new PredictSettings(engine,
                options.get(PrefixFlowModelOptions.MAX_TOKENS),
                options.get(PrefixFlowModelOptions.TEMPERATURE).floatValue(),
                options.get(PrefixFlowModelOptions.TOP_P).floatValue(),
                options.get(PrefixFlowModelOptions.TOP_K),
                options.get(PrefixFlowModelOptions.SEED),
                options.getOptional(PrefixFlowModelOptions.STOP).orElse(List.of()),
                options.getOptional(PrefixFlowModelOptions.SYSTEM_PROMPT).orElse(null),
                outputs,
                options.getOptional(PrefixFlowModelOptions.RESPONSE_FORMAT).orElse(null));
    }

    /** The sampling parameters of every row. */
    public SamplingParams samplingParams() {
        return new SamplingParams(temperature, topP, topK, seed, maxTokens, stop);
    }

    private static void samplingOrThrow(int maxTokens, float temperature, float topP, int topK, long seed,
                                        List<String> stop) {
        if (maxTokens < 1) {
            throw bad(PrefixFlowModelOptions.MAX_TOKENS.key(), "must be >= 1, got " + maxTokens);
        }
        if (!(temperature >= 0) || Float.isInfinite(temperature)) {
            throw bad(PrefixFlowModelOptions.TEMPERATURE.key(), "must be a finite number >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw bad(PrefixFlowModelOptions.TOP_P.key(), "must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw bad(PrefixFlowModelOptions.TOP_K.key(), "must be >= 0 (0 = off), got " + topK);
        }
        if (stop.stream().anyMatch(String::isEmpty)) {
            throw bad(PrefixFlowModelOptions.STOP.key(), "must not contain an empty string");
        }
        new SamplingParams(temperature, topP, topK, seed, maxTokens, stop);
    }

    private static IllegalArgumentException bad(String key, String what) {
        return new IllegalArgumentException("'" + key + "' " + what);
    }
}
