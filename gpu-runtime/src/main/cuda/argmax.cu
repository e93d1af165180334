// Greedy sampling on the device: out[r] = the index of the largest value of row r (the smallest index
// among equal maxima, as the CPU sampler picks). NaN compares false and is never chosen over a number.
//
// Grid: one block per row. Block: 256 threads (a multiple of 32, at most 1024).
#include "common.cuh"

__device__ __forceinline__ void better(float& best, int& best_index, float v, int index) {
    if (v > best || (v == best && index < best_index)) {
        best = v;
        best_index = index;
    }
}

extern "C" __global__ void argmax_rows(const float* __restrict__ logits, int width, int* __restrict__ out) {
    __shared__ float best_values[32];
    __shared__ int best_indexes[32];
    const float* row = logits + (size_t)blockIdx.x * width;
    float best = -INFINITY;
    int best_index = width;
    for (int i = threadIdx.x; i < width; i += blockDim.x) {
        better(best, best_index, row[i], i);
    }
    for (int offset = 16; offset > 0; offset >>= 1) {
        better(best, best_index, __shfl_xor_sync(FULL_WARP_MASK, best, offset),
               __shfl_xor_sync(FULL_WARP_MASK, best_index, offset));
    }
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    if (lane == 0) {
        best_values[warp] = best;
        best_indexes[warp] = best_index;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        for (int w = 1; w < (int)(blockDim.x >> 5); ++w) {
            better(best, best_index, best_values[w], best_indexes[w]);
        }
        // A row of all NaN (or -inf) keeps index `width`: report 0 rather than an index outside the row.
        out[blockIdx.x] = best_index < width ? best_index : 0;
    }
}
