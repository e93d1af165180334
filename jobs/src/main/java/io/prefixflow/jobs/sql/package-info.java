/**
 * The {@code sql} command's machinery: splitting a script into statements, running them on an in-process
 * Flink (and Kafka, when the script uses it), and printing query rows as a table or as JSON Lines.
 */
package io.prefixflow.jobs.sql;
