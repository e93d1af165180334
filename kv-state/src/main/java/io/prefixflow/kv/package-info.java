/**
 * Paged KV block bookkeeping: which physical block ids hold which content, who references them,
 * and which unreferenced ones to evict first. The KV data itself lives in a {@code ModelRunner};
 * this module only manages block ids. Plain Java 17, no dependencies.
 *
 * <ul>
 *   <li>{@link io.prefixflow.kv.hash} — 128-bit chained block hashes and tenant namespaces.</li>
 *   <li>{@link io.prefixflow.kv.pool} — the block pool: reference counts, LRU free list, prefix cache index.</li>
 *   <li>{@link io.prefixflow.kv.manager} — per-request block tables for a scheduler.</li>
 * </ul>
 */
package io.prefixflow.kv;
