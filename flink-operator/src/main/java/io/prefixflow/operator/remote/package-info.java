/**
 * The remote backend: requests served by an external OpenAI-compatible {@code /v1/completions} server
 * (vLLM, TGI, llama.cpp's server) through Flink's async I/O instead of the in-operator engine.
 */
package io.prefixflow.operator.remote;
