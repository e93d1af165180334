/**
 * {@code chaos}: the job on a real local cluster ({@link io.prefixflow.jobs.cluster.LocalCluster}) while
 * TaskManagers and the broker are killed, and a check of what a {@code read_committed} consumer then sees
 * against an uninterrupted run of the same requests.
 */
package io.prefixflow.jobs.chaos;
