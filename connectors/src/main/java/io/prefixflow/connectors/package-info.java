/** Avro contracts and Kafka source/sink builders (issue 4). */
package io.prefixflow.connectors;
