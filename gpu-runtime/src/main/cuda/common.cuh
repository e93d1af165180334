// Helpers shared by the PrefixFlow kernels. Every kernel file includes this one header and nothing of
// the others, so each .cu compiles to its own module (one PTX + one cubin per concern).
//
// Conventions for all kernels:
//  - activations are F32, row-major [tokens][width]; weights are BF16 or F32, row-major [out][in];
//  - indexes into large buffers (weights, the KV pool) are size_t: a KV pool easily passes 2^31 floats;
//  - the per-token elementwise kernels use __fmul_rn / __fadd_rn where the CPU backend rounds each
//    operation separately, so that the compiler does not fuse them into an FMA and drift from the CPU.
#pragma once

#include <cuda_bf16.h>
#include <stdint.h>

#define FULL_WARP_MASK 0xffffffffu

__device__ __forceinline__ float warp_sum(float v) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        v += __shfl_xor_sync(FULL_WARP_MASK, v, offset);
    }
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        v = fmaxf(v, __shfl_xor_sync(FULL_WARP_MASK, v, offset));
    }
    return v;
}

// Sum over the whole thread block; every thread gets the result. `scratch` holds one float per warp
// (at most 32). Callers must not reuse `scratch` before a __syncthreads() that follows this call.
__device__ __forceinline__ float block_sum(float v, float* scratch) {
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int num_warps = (blockDim.x + 31) >> 5;
    v = warp_sum(v);
    if (lane == 0) {
        scratch[warp] = v;
    }
    __syncthreads();
    float total = 0.f;
    // Every thread adds the per-warp sums in the same order, so all threads agree bit for bit.
    for (int w = 0; w < num_warps; ++w) {
        total += scratch[w];
    }
    return total;
}

// Weight element loads, so that one templated kernel body serves BF16 and F32 weights.
__device__ __forceinline__ float load_weight(const float* w, size_t i) { return w[i]; }
__device__ __forceinline__ float load_weight(const __nv_bfloat16* w, size_t i) { return __bfloat162float(w[i]); }
