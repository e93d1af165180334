/**
 * The {@code prefixflow} model provider of Flink SQL: {@code CREATE MODEL ... WITH ('provider' = 'prefixflow')}
 * makes {@code ML_PREDICT} run the in-TaskManager engine, one engine per slot shared by every
 * {@code ML_PREDICT} of the slot.
 */
package io.prefixflow.operator.sql;
