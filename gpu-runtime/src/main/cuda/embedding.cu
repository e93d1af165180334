// Embedding lookup: out[t][:] = table[token_ids[t]][:], widened to F32.
// Grid: one block per token. Block: any size; threads stride over the row.
#include "common.cuh"

template <typename W>
__device__ void embed_rows(const W* __restrict__ table, const int* __restrict__ token_ids,
                           float* __restrict__ out, int dim) {
    const size_t src = (size_t)token_ids[blockIdx.x] * dim;
    const size_t dst = (size_t)blockIdx.x * dim;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        out[dst + i] = load_weight(table, src + i);
    }
}

extern "C" __global__ void embed_bf16(const __nv_bfloat16* __restrict__ table, const int* __restrict__ token_ids,
                                      float* __restrict__ out, int dim) {
    embed_rows(table, token_ids, out, dim);
}

extern "C" __global__ void embed_f32(const float* __restrict__ table, const int* __restrict__ token_ids,
                                     float* __restrict__ out, int dim) {
    embed_rows(table, token_ids, out, dim);
}
