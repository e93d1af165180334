// Elementwise kernels over flat F32 arrays. Grid-stride loops: any grid covers any n.
#include "common.cuh"

// gate = silu(gate) * up, as the CPU computes it: g / (1 + exp(-g)) * up.
extern "C" __global__ void swiglu(float* __restrict__ gate, const float* __restrict__ up, long long n) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
        const float g = gate[i];
        gate[i] = __fmul_rn(__fdiv_rn(g, __fadd_rn(1.f, expf(-g))), up[i]);
    }
}

// y += x (the residual stream).
extern "C" __global__ void residual_add(float* __restrict__ y, const float* __restrict__ x, long long n) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) {
        y[i] = __fadd_rn(y[i], x[i]);
    }
}
