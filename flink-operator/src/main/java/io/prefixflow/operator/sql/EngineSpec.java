package io.prefixflow.operator.sql;

import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.Backend;
import java.io.Serializable;

/**
 * What makes one slot engine: the model and the engine settings. Models whose specs are equal share their
 * slot's engine (and its prefix cache); sampling settings are per row and take no part.
 *
 * @param model         {@link PrefixFlowModelOptions#MODEL}
 * @param tokenizer     {@link PrefixFlowModelOptions#TOKENIZER}, or null
 * @param contextLength {@link PrefixFlowModelOptions#CONTEXT_LENGTH}, or null for the model's own
 * @param backend       {@link PrefixFlowModelOptions#BACKEND}
 * @param threads       {@link PrefixFlowModelOptions#THREADS}
 * @param kvCacheBytes  {@link PrefixFlowModelOptions#KV_CACHE_SIZE} in bytes
 */
public record EngineSpec(String model, String tokenizer, Integer contextLength, Backend backend, int threads,
                         long kvCacheBytes) implements Serializable {
    /** Tokens per KV block, as the job's default. */
    static final int BLOCK_SIZE = io.prefixflow.operator.config.InferenceOptions.BLOCK_SIZE.defaultValue();

    public EngineSpec {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("'" + PrefixFlowModelOptions.MODEL.key() + "' must name a model");
        }
        if (contextLength != null && contextLength < 2) {
            throw new IllegalArgumentException("'" + PrefixFlowModelOptions.CONTEXT_LENGTH.key() + "' must be >= 2, got "
                    + contextLength);
        }
        if (backend == null) {
            throw new IllegalArgumentException("'" + PrefixFlowModelOptions.BACKEND.key() + "' must be given");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("'" + PrefixFlowModelOptions.THREADS.key() + "' must be >= 1, got "
                    + threads);
        }
        if (kvCacheBytes < 1) {
            throw new IllegalArgumentException("'" + PrefixFlowModelOptions.KV_CACHE_SIZE.key() + "' must be > 0, got "
                    + kvCacheBytes + " bytes");
        }
    }

    /** Loads the model (the built-in one included) with the context-length override applied. */
    Model load() {
        return ModelSpecs.load(model, tokenizer, contextLength, "'" + PrefixFlowModelOptions.MODEL.key() + "'",
                "'" + PrefixFlowModelOptions.TOKENIZER.key() + "'");
    }
}
