/**
 * Plain Avro binary for the Kafka contracts: a strict decoder that turns every prompts record
 * into a request or a dead letter, and keyed serializers for completions, chunks and dead letters.
 */
package io.prefixflow.connectors.serde;
