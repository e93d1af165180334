/**
 * The PrefixFlow engine: model formats, tokenizers, model runners, sampling. Plain Java; no Flink, no Kafka.
 */
package io.prefixflow.runtime;
