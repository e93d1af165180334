// Appends each new token's K and V (after RoPE) into the paged KV pool of one layer.
//
//   pool (one layer, K or V):  | block 0: slot 0 [kv_dim] ... slot B-1 | block 1: ... |
//   position p of sequence s lives in block block_tables[table_offset[s] + p / B], slot p % B
//
// Grid: one block per token. Block: threads stride over kv_dim.
#include "common.cuh"

extern "C" __global__ void kv_append(const float* __restrict__ k, const float* __restrict__ v,
                                     const int* __restrict__ positions, const int* __restrict__ token_seq,
                                     const int* __restrict__ seq_table_offset, const int* __restrict__ block_tables,
                                     float* __restrict__ k_pool, float* __restrict__ v_pool,
                                     int kv_dim, int block_size) {
    const int token = blockIdx.x;
    const int position = positions[token];
    const int block = block_tables[seq_table_offset[token_seq[token]] + position / block_size];
    const size_t dst = ((size_t)block * block_size + position % block_size) * kv_dim;
    const size_t src = (size_t)token * kv_dim;
    for (int i = threadIdx.x; i < kv_dim; i += blockDim.x) {
        k_pool[dst + i] = k[src + i];
        v_pool[dst + i] = v[src + i];
    }
}
