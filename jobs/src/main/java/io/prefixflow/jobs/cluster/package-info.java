/**
 * A real Flink and Kafka topology on one machine, made of separate processes: a KRaft Kafka broker, a Flink
 * JobManager ({@code StandaloneSessionClusterEntrypoint}, REST API and web UI) and TaskManagers
 * ({@code TaskManagerRunner}), each its own JVM on the classpath Maven assembled at build time
 * ({@code jobs/target/flink.classpath}, {@code kafka.classpath}).
 * {@link io.prefixflow.jobs.cluster.LocalCluster} starts, inspects, kills and stops them; pid files in the work
 * directory let another invocation find them.
 */
package io.prefixflow.jobs.cluster;
