/** The job graph: the Kafka-independent pipeline, and the Kafka job with its options. */
package io.prefixflow.operator.job;
