// Rotary position embedding applied in place to every query and key head of each token.
//
// The cos/sin tables are computed on the host exactly as the CPU backend computes them ([position][pair],
// pair < head_size/2) so both backends rotate by the same floats.
//
//   adjacent_pairs = 1: pairs (2i, 2i+1)            (llama2.c, llama.cpp `llama`)
//   adjacent_pairs = 0: pairs (i, i + head_size/2)  (GPT-NeoX style, llama.cpp `qwen2`)
//
// Grid: one block per token. Block: threads stride over (num_heads + num_kv_heads) * head_size/2 pairs.
#include "common.cuh"

extern "C" __global__ void rope_apply(float* __restrict__ q, float* __restrict__ k, const int* __restrict__ positions,
                                      const float* __restrict__ cos_table, const float* __restrict__ sin_table,
                                      int num_heads, int num_kv_heads, int head_size, int adjacent_pairs) {
    const int token = blockIdx.x;
    const int half = head_size / 2;
    const size_t table_row = (size_t)positions[token] * half;
    const int q_pairs = num_heads * half;
    const int total_pairs = (num_heads + num_kv_heads) * half;
    for (int p = threadIdx.x; p < total_pairs; p += blockDim.x) {
        const bool is_query = p < q_pairs;
        const int local = is_query ? p : p - q_pairs;
        const int head = local / half;
        const int i = local - head * half;
        float* row = is_query ? q + (size_t)token * num_heads * head_size
                              : k + (size_t)token * num_kv_heads * head_size;
        float* v = row + (size_t)head * head_size;
        const int a = adjacent_pairs ? 2 * i : i;
        const int b = adjacent_pairs ? a + 1 : a + half;
        const float c = cos_table[table_row + i];
        const float s = sin_table[table_row + i];
        const float v0 = v[a];
        const float v1 = v[b];
        v[a] = __fsub_rn(__fmul_rn(v0, c), __fmul_rn(v1, s));
        v[b] = __fadd_rn(__fmul_rn(v0, s), __fmul_rn(v1, c));
    }
}
