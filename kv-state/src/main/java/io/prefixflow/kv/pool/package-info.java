/**
 * The block pool: physical KV block ids with reference counts, an LRU free list and the prefix cache
 * index (content hash to block id). Knows nothing of requests or scheduling.
 */
package io.prefixflow.kv.pool;
