/** Per-request block tables on top of the block pool: what a scheduler calls to admit, grow and free sequences. */
package io.prefixflow.kv.manager;
