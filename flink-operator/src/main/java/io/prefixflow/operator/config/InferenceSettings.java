package io.prefixflow.operator.config;

import io.prefixflow.connectors.validation.RequestLimits;
import io.prefixflow.runtime.engine.SchedulerConfig;
import io.prefixflow.runtime.runner.Backend;
import io.prefixflow.runtime.runner.KvDtype;
import java.io.Serializable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The checked values of {@link InferenceOptions}, carried (serialized) into the prepare function and the
 * inference operator. Build it with {@link #from(ReadableConfig)}; every check names the option key.
 *
 * @param model               {@link InferenceOptions#MODEL}
 * @param tokenizer           {@link InferenceOptions#TOKENIZER}, or null
 * @param contextLength       {@link InferenceOptions#CONTEXT_LENGTH}, or null for the model's own
 * @param backend             {@link InferenceOptions#BACKEND}
 * @param threads             {@link InferenceOptions#THREADS}
 * @param kvCacheBytes        {@link InferenceOptions#KV_CACHE_SIZE} in bytes
 * @param kvDtype             {@link InferenceOptions#KV_DTYPE}
 * @param blockSize           {@link InferenceOptions#BLOCK_SIZE}, tokens
 * @param maxBatchedTokens    {@link InferenceOptions#MAX_BATCHED_TOKENS}
 * @param maxRunning          {@link InferenceOptions#MAX_RUNNING}
 * @param prefixCaching       {@link InferenceOptions#PREFIX_CACHING}
 * @param maxInFlight         {@link InferenceOptions#MAX_IN_FLIGHT}
 * @param routing             the {@code prefixflow.routing.*} options
 * @param remote              the remote backend's settings when {@link RemoteOptions#SERVING_BACKEND} is
 *                            {@link ServingBackend#OPENAI}, else null (the engine serves)
 * @param limits              the {@code prefixflow.limits.*} options checked when a record is decoded
 * @param templateLimits      {@link InferenceOptions#CHAT_TEMPLATE_TIMEOUT} and
 *                            {@link InferenceOptions#MAX_RENDERED_PROMPT_BYTES}
 */
public record InferenceSettings(String model, String tokenizer, Integer contextLength, Backend backend,
                                int threads, long kvCacheBytes, KvDtype kvDtype, int blockSize,
                                int maxBatchedTokens, int maxRunning, boolean prefixCaching, int maxInFlight,
                                RoutingSettings routing, RemoteSettings remote, RequestLimits limits,
                                TemplateLimits templateLimits)
        implements Serializable {
    public InferenceSettings {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(InferenceOptions.MODEL.key() + " must name a model");
        }
        if (contextLength != null) {
            atLeast(InferenceOptions.CONTEXT_LENGTH, contextLength, 2);
        }
        atLeast(InferenceOptions.THREADS, threads, 1);
        if (kvCacheBytes < 1) {
            throw new IllegalArgumentException(InferenceOptions.KV_CACHE_SIZE.key() + " must be > 0, got "
                    + kvCacheBytes + " bytes");
        }
        if (kvDtype == null) {
            throw new IllegalArgumentException(InferenceOptions.KV_DTYPE.key() + " must be given");
        }
        atLeast(InferenceOptions.BLOCK_SIZE, blockSize, 1);
        atLeast(InferenceOptions.MAX_BATCHED_TOKENS, maxBatchedTokens, 1);
        atLeast(InferenceOptions.MAX_RUNNING, maxRunning, 1);
        atLeast(InferenceOptions.MAX_IN_FLIGHT, maxInFlight, 1);
        if (routing == null) {
            throw new IllegalArgumentException("the prefixflow.routing.* settings must be given");
        }
        if (limits == null || templateLimits == null) {
            throw new IllegalArgumentException("the prefixflow.limits.* settings must be given");
        }
    }

    /** Reads and checks every option, defaults included. */
    public static InferenceSettings from(ReadableConfig config) {
        return new InferenceSettings(
                config.get(InferenceOptions.MODEL),
                config.getOptional(InferenceOptions.TOKENIZER).orElse(null),
                config.getOptional(InferenceOptions.CONTEXT_LENGTH).orElse(null),
                config.get(InferenceOptions.BACKEND),
                config.get(InferenceOptions.THREADS),
                config.get(InferenceOptions.KV_CACHE_SIZE).getBytes(),
                config.get(InferenceOptions.KV_DTYPE),
                config.get(InferenceOptions.BLOCK_SIZE),
                config.get(InferenceOptions.MAX_BATCHED_TOKENS),
                config.get(InferenceOptions.MAX_RUNNING),
                config.get(InferenceOptions.PREFIX_CACHING),
                config.get(InferenceOptions.MAX_IN_FLIGHT),
                RoutingSettings.from(config),
                RemoteSettings.from(config),
                RequestLimits.from(config),
                TemplateLimits.from(config));
    }

    /** Whether an external OpenAI-compatible server serves instead of the in-operator engine. */
    public boolean isRemote() {
        return remote != null;
    }

    /** The engine scheduler's limits. */
    public SchedulerConfig schedulerConfig() {
        return new SchedulerConfig(maxBatchedTokens, maxRunning, prefixCaching);
    }

    private static void atLeast(ConfigOption<Integer> option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option.key() + " must be >= " + min + ", got " + value);
        }
    }
}
