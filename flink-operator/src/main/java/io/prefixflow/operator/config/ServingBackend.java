package io.prefixflow.operator.config;

/**
 * Who generates the completions: the engine inside the Flink operator, or an external OpenAI-compatible
 * server (vLLM, TGI, llama.cpp's server) called through Flink's async I/O.
 */
public enum ServingBackend {
    /** The in-operator engine ({@link InferenceOptions#BACKEND} picks CPU or CUDA). */
    ENGINE,
    /** An OpenAI-compatible {@code /v1/completions} server at {@link RemoteOptions#ENDPOINT}. */
    OPENAI
}
