/** Flink Kafka source and sink builders for the PrefixFlow topics, and the dead-letter split. */
package io.prefixflow.connectors.kafka;
