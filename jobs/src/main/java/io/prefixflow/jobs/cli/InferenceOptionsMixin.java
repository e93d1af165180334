package io.prefixflow.jobs.cli;

import io.prefixflow.operator.config.InferenceOptions;
import io.prefixflow.operator.config.RoutingMode;
import io.prefixflow.operator.config.RemoteOptions;
import io.prefixflow.operator.config.ServingBackend;
import io.prefixflow.runtime.runner.Backend;
import io.prefixflow.runtime.runner.KvDtype;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine.Option;

/** The job's inference settings as command-line options; each sets one {@link InferenceOptions} key. */
final class InferenceOptionsMixin {
    @Option(names = "--model", paramLabel = "PATH|dummy:SHAPE|builtin:stories260K",
            description = "The model (default: builtin:stories260K, the tiny TinyStories model inside the jar).")
    String model;

    @Option(names = "--tokenizer", paramLabel = "PATH", description = "llama2.c tokenizer file, for llama2.c checkpoints.")
    String tokenizer;

    @Option(names = "--context-length", paramLabel = "N", description = "Override the model's context length.")
    Integer contextLength;

    @Option(names = "--threads", paramLabel = "N", description = "CPU threads per engine (default 1).")
    Integer threads;

    @Option(names = "--kv-cache-size", paramLabel = "SIZE", description = "KV cache per engine, e.g. 256mb (default 256mb).")
    String kvCacheSize;

    @Option(names = "--kv-dtype", paramLabel = "f32|f16|q8_0",
            description = "How each engine stores its KV cache (cpu): f32 (default), f16 or q8_0; the same"
                    + " --kv-cache-size then holds 2 or 3.8 times as many blocks.")
    String kvDtype;

    @Option(names = "--block-size", paramLabel = "TOKENS", description = "Tokens per KV block (default 16).")
    Integer blockSize;

    @Option(names = "--max-batched-tokens", paramLabel = "N", description = "Most tokens per engine step (default 512).")
    Integer maxBatchedTokens;

    @Option(names = "--max-running", paramLabel = "N", description = "Most running sequences per engine (default 64).")
    Integer maxRunning;

    @Option(names = "--max-in-flight", paramLabel = "N",
            description = "Most requests per operator subtask before backpressure (default 128).")
    Integer maxInFlight;

    @Option(names = "--routing", paramLabel = "cache-aware|prefix|round-robin",
            description = "How requests are spread over the inference subtasks (default cache-aware; the other"
                    + " prefixflow.routing.* options with -D).")
    String routing;

    @Option(names = "--routing-prefix-blocks", paramLabel = "K",
            description = "prefix routing: route by the hash of the first K full KV blocks (default 4).")
    Integer routingPrefixBlocks;

    @Option(names = "--no-prefix-cache", description = "Do not cache or reuse shared prompt prefixes.")
    boolean noPrefixCache;

    @Option(names = "--backend", paramLabel = "cpu|cuda|openai",
            description = "Who serves: the in-operator engine on cpu (default) or cuda, or openai: an external"
                    + " OpenAI-compatible /v1/completions server at --endpoint (vLLM, TGI, llama.cpp's server).")
    String backend;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Base URL of the OpenAI-compatible server for --backend openai, e.g. http://localhost:8000.")
    String endpoint;

    @Option(names = "--remote-model", paramLabel = "NAME",
            description = "The \"model\" sent to the server with --backend openai (default: left out; the server's own).")
    String remoteModel;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Any Flink or prefixflow.* configuration option, e.g. -Dprefixflow.engine.threads=2.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** Writes the given options into {@code conf}; options not given keep their defaults. */
    void applyTo(Configuration conf) {
        conf.addAll(Configuration.fromMap(properties));
        setIf(conf, InferenceOptions.MODEL, model);
        setIf(conf, InferenceOptions.TOKENIZER, tokenizer);
        setIf(conf, InferenceOptions.CONTEXT_LENGTH, contextLength);
        setIf(conf, InferenceOptions.THREADS, threads);
        if (kvCacheSize != null) {
            conf.set(InferenceOptions.KV_CACHE_SIZE, parseSize(kvCacheSize));
        }
        if (kvDtype != null) {
            conf.set(InferenceOptions.KV_DTYPE, KvDtype.parse(kvDtype));
        }
        setIf(conf, InferenceOptions.BLOCK_SIZE, blockSize);
        setIf(conf, InferenceOptions.MAX_BATCHED_TOKENS, maxBatchedTokens);
        setIf(conf, InferenceOptions.MAX_RUNNING, maxRunning);
        setIf(conf, InferenceOptions.MAX_IN_FLIGHT, maxInFlight);
        setIf(conf, InferenceOptions.ROUTING_PREFIX_BLOCKS, routingPrefixBlocks);
        if (routing != null) {
            conf.set(InferenceOptions.ROUTING_MODE, parseRouting(routing));
        }
        if (noPrefixCache) {
            conf.set(InferenceOptions.PREFIX_CACHING, false);
        }
        applyBackend(conf);
    }

    /** Whether the options pick the remote (OpenAI-compatible) backend. */
    boolean isOpenAi() {
        return backend != null && backend.strip().equalsIgnoreCase("openai");
    }

    /** {@code --backend}: cpu and cuda set the engine backend, openai the remote backend with its options. */
    private void applyBackend(Configuration conf) {
        if (isOpenAi()) {
            if (endpoint == null || endpoint.isBlank()) {
                throw new IllegalArgumentException("--backend openai needs --endpoint URL (the OpenAI-compatible"
                        + " server, e.g. http://localhost:8000)");
            }
            conf.set(RemoteOptions.SERVING_BACKEND, ServingBackend.OPENAI);
            conf.set(RemoteOptions.ENDPOINT, endpoint);
            setIf(conf, RemoteOptions.MODEL, remoteModel);
            return;
        }
        if (endpoint != null || remoteModel != null) {
            throw new IllegalArgumentException((endpoint != null ? "--endpoint" : "--remote-model")
                    + " only applies to --backend openai");
        }
        if (backend != null) {
            try {
                conf.set(InferenceOptions.BACKEND, Backend.parse(backend.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--backend " + backend + ": expected cpu, cuda or openai", e);
            }
        }
    }

    /** {@code cache-aware}, {@code prefix} or {@code round-robin} (any case, {@code _} or {@code -}). */
    static RoutingMode parseRouting(String text) {
        String name = text.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (RoutingMode mode : RoutingMode.values()) {
            if (mode.name().equals(name)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("--routing " + text + ": expected cache-aware, prefix or round-robin");
    }

    private static MemorySize parseSize(String text) {
        try {
            return MemorySize.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kv-cache-size " + text + ": " + e.getMessage(), e);
        }
    }

    private static <T> void setIf(Configuration conf, org.apache.flink.configuration.ConfigOption<T> option, T value) {
        if (value != null) {
            conf.set(option, value);
        }
    }
}
