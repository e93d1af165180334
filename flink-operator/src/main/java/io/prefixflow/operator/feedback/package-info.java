/**
 * The load feedback channel of cache-aware routing: each inference subtask publishes its outstanding work on a
 * Kafka topic and every prepare subtask reads the latest report of each. Advisory only: a lost, late or missing
 * report changes where requests go, never what they produce or whether they are delivered exactly once.
 */
package io.prefixflow.operator.feedback;
