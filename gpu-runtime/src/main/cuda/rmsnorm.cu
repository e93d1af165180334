// RMSNorm as llama2.c's run.c computes it: out = weight * (x * 1/sqrt(mean(x^2) + eps)).
//
// Grid: one block per output row. Block: 256 threads (any multiple of 32 up to 1024).
// row_index may be null; when given, output row r reads input row row_index[r] (the final norm reads only
// each sequence's last token this way).
#include "common.cuh"

extern "C" __global__ void rmsnorm(const float* __restrict__ x, const int* __restrict__ row_index,
                                   const float* __restrict__ weight, float* __restrict__ out, int dim, float eps) {
    __shared__ float scratch[32];
    const int row = blockIdx.x;
    const size_t src = (size_t)(row_index != nullptr ? row_index[row] : row) * dim;
    const size_t dst = (size_t)row * dim;
    float partial = 0.f;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        const float v = x[src + i];
        partial = __fadd_rn(partial, __fmul_rn(v, v));
    }
    const float sum_squares = block_sum(partial, scratch);
    const float mean = __fadd_rn(__fdiv_rn(sum_squares, (float)dim), eps);
    // The CPU computes 1/sqrt in double and rounds once; so does this.
    const float inv_rms = (float)(1.0 / sqrt((double)mean));
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        out[dst + i] = __fmul_rn(weight[i], __fmul_rn(inv_rms, x[src + i]));
    }
}
