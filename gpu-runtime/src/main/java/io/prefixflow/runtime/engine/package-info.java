/**
 * The serving engine: {@link io.prefixflow.runtime.engine.Engine} runs many requests on one
 * {@code ModelRunner} with continuous batching, chunked prefill, preemption and automatic prefix caching,
 * planned step by step by the {@link io.prefixflow.runtime.engine.Scheduler} over kv-state's
 * {@code KvCacheManager}. No Flink, no Kafka: the Flink operator wraps it.
 */
package io.prefixflow.runtime.engine;
