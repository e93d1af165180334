// Projection GEMMs: Y[M][N] = X[M][K] . W[N][K]^T (+ bias[N]), X and Y F32 row-major, W row-major [out][in]
// as the model files store it. M = tokens in the step, N = output features, K = input features.
//
// Batch invariance: both kernels accumulate every output over K in one fixed order (K-tiles in sequence,
// no split-K), whatever M is and whichever M-tile a row lands in. A sequence's logits therefore do not
// depend on what else is in its batch, the property the CPU backend also keeps.
//
// Two kernels:
//  - gemm_bf16_wmma: tensor cores (wmma m16n16k16, BF16 inputs, F32 accumulation). X is rounded to BF16 as
//    it is staged into shared memory. The simple, correct first version: no cp.async pipeline yet.
//  - gemm_f32: CUDA cores, F32 throughout; for F32 weights (tests that must match the CPU token for token).
#include "common.cuh"
#include <mma.h>

using namespace nvcuda;

// ---- BF16 tensor-core GEMM -----------------------------------------------------------------------------
//
// Block tile 64 (M) x 64 (N), K-step 32, 4 warps in a 2x2 layout, each warp 32x32 = 2x2 wmma fragments.
//
//   a_s [64][BK + 8] bf16   rows of X (m), k contiguous        -> matrix_a, row_major, ldm = BK + 8
//   b_s [64][BK + 8] bf16   rows of W (n), k contiguous        -> matrix_b, col_major, ldm = BK + 8
//   c_s [64][64 + 4] f32    the accumulators, staged for a bounds-checked store with the bias
//
// The +8 (16 bytes) pad keeps wmma's ldm a multiple of 8 elements and shifts consecutive rows by 4 banks,
// so fragment loads do not all hit the same banks. Out-of-range rows, columns and k are staged as zeros.
#define GEMM_BM 64
#define GEMM_BN 64
#define GEMM_BK 32
#define GEMM_PAD 8
#define GEMM_THREADS 128

// Stages X[row0 .. row0 + ROWS)[k0 .. k0 + BK) into dst as BF16 (rounded to nearest even), zeros outside the
// matrix; widened loads are not assumed (K may be odd).
template <int ROWS, int BK, int THREADS>
__device__ __forceinline__ void stage_x_bf16(const float* __restrict__ x, int m, int k, int row0, int k0,
                                             __nv_bfloat16 (*dst)[BK + GEMM_PAD]) {
    for (int i = threadIdx.x; i < ROWS * BK; i += THREADS) {
        const int r = i / BK;
        const int c = i - r * BK;
        const int gm = row0 + r;
        const int gk = k0 + c;
        const float v = (gm < m && gk < k) ? x[(size_t)gm * k + gk] : 0.f;
        dst[r][c] = __float2bfloat16_rn(v);
    }
}

// Stages W[row0 .. row0 + ROWS)[k0 .. k0 + BK) into dst, zeros outside. With k % 8 == 0 (rows start on 16 bytes;
// cuMemAlloc aligns the buffer) 8 elements per 16-byte load, all of a thread's loads independent.
template <int ROWS, int BK, int THREADS>
__device__ __forceinline__ void stage_w_bf16(const __nv_bfloat16* __restrict__ w, int n, int k, int row0, int k0,
                                             __nv_bfloat16 (*dst)[BK + GEMM_PAD]) {
    if ((k & 7) == 0) {
#pragma unroll
        for (int i = threadIdx.x; i < ROWS * BK / 8; i += THREADS) {
            const int r = i / (BK / 8);
            const int c = (i - r * (BK / 8)) * 8;
            const int gn = row0 + r;
            const int gk = k0 + c;
            uint4 packed = make_uint4(0, 0, 0, 0);
            if (gn < n && gk < k) {
                packed = *reinterpret_cast<const uint4*>(w + (size_t)gn * k + gk);
            }
            *reinterpret_cast<uint4*>(&dst[r][c]) = packed;
        }
    } else {
        for (int i = threadIdx.x; i < ROWS * BK; i += THREADS) {
            const int r = i / BK;
            const int c = i - r * BK;
            const int gn = row0 + r;
            const int gk = k0 + c;
            dst[r][c] = (gn < n && gk < k) ? w[(size_t)gn * k + gk] : __float2bfloat16_rn(0.f);
        }
    }
}

extern "C" __global__ void __launch_bounds__(GEMM_THREADS) gemm_bf16_wmma(
        const float* __restrict__ x, const __nv_bfloat16* __restrict__ w, const float* __restrict__ bias,
        float* __restrict__ y, int m, int n, int k) {
    __shared__ __align__(32) __nv_bfloat16 a_s[GEMM_BM][GEMM_BK + GEMM_PAD];
    __shared__ __align__(32) __nv_bfloat16 b_s[GEMM_BN][GEMM_BK + GEMM_PAD];
    __shared__ __align__(32) float c_s[GEMM_BM][GEMM_BN + 4];

    const int block_m = blockIdx.y * GEMM_BM;
    const int block_n = blockIdx.x * GEMM_BN;
    const int warp = threadIdx.x >> 5;
    const int warp_m = (warp >> 1) * 32;
    const int warp_n = (warp & 1) * 32;

    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc[2][2];
#pragma unroll
    for (int i = 0; i < 2; ++i) {
#pragma unroll
        for (int j = 0; j < 2; ++j) {
            wmma::fill_fragment(acc[i][j], 0.f);
        }
    }

    for (int k0 = 0; k0 < k; k0 += GEMM_BK) {
        stage_x_bf16<GEMM_BM, GEMM_BK, GEMM_THREADS>(x, m, k, block_m, k0, a_s);
        stage_w_bf16<GEMM_BN, GEMM_BK, GEMM_THREADS>(w, n, k, block_n, k0, b_s);
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < GEMM_BK; kk += 16) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major> a_frag[2];
            wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::col_major> b_frag[2];
#pragma unroll
            for (int i = 0; i < 2; ++i) {
                wmma::load_matrix_sync(a_frag[i], &a_s[warp_m + 16 * i][kk], GEMM_BK + GEMM_PAD);
                wmma::load_matrix_sync(b_frag[i], &b_s[warp_n + 16 * i][kk], GEMM_BK + GEMM_PAD);
            }
#pragma unroll
            for (int i = 0; i < 2; ++i) {
#pragma unroll
                for (int j = 0; j < 2; ++j) {
                    wmma::mma_sync(acc[i][j], a_frag[i], b_frag[j], acc[i][j]);
                }
            }
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 2; ++i) {
#pragma unroll
        for (int j = 0; j < 2; ++j) {
            wmma::store_matrix_sync(&c_s[warp_m + 16 * i][warp_n + 16 * j], acc[i][j], GEMM_BN + 4,
                                    wmma::mem_row_major);
        }
    }
    __syncthreads();
    for (int i = threadIdx.x; i < GEMM_BM * GEMM_BN; i += GEMM_THREADS) {
        const int r = i / GEMM_BN;
        const int c = i - r * GEMM_BN;
        const int gm = block_m + r;
        const int gn = block_n + c;
        if (gm < m && gn < n) {
            y[(size_t)gm * n + gn] = c_s[r][c] + (bias != nullptr ? bias[gn] : 0.f);
        }
    }
}

// ---- BF16 tensor-core GEMM for few rows (decode) --------------------------------------------------------
//
// The 64 x 64 tile above gives a decode step (m <= 16) only n / 64 blocks, e.g. 32 for n = 2048 on 132 SMs,
// each with 4 KB of W in flight per K-step: measured 2 % of the H200's bandwidth at one sequence. This one
// is one warp per 16 x 16 output tile (n / 16 blocks) staging 16 x 256 of W per K-step, 16 independent 16-byte
// loads per lane.
//
// Batch invariance: each output is still the same wmma m16n16k16 accumulation over K in 16-wide steps from
// k = 0 in order, from a zero accumulator, with X rounded to BF16 the same way; the only difference from the
// 64 x 64 kernel is how many zero-padded K steps follow the last real one (adding zero products changes no
// accumulator). So whichever of the two a row goes through, its outputs are the same bits
// (GemmKernelTest checks it), and the runner may pick this one for m <= 16.
#define SKINNY_BM 16
#define SKINNY_BN 16
#define SKINNY_BK 256

extern "C" __global__ void __launch_bounds__(32) gemm_bf16_wmma_skinny(
        const float* __restrict__ x, const __nv_bfloat16* __restrict__ w, const float* __restrict__ bias,
        float* __restrict__ y, int m, int n, int k) {
    __shared__ __align__(32) __nv_bfloat16 a_s[SKINNY_BM][SKINNY_BK + GEMM_PAD];
    __shared__ __align__(32) __nv_bfloat16 b_s[SKINNY_BN][SKINNY_BK + GEMM_PAD];
    __shared__ __align__(32) float c_s[SKINNY_BM][SKINNY_BN + 4];

    const int block_m = blockIdx.y * SKINNY_BM;
    const int block_n = blockIdx.x * SKINNY_BN;
    const int lane = threadIdx.x;

    wmma::fragment<wmma::accumulator, 16, 16, 16, float> acc;
    wmma::fill_fragment(acc, 0.f);

    for (int k0 = 0; k0 < k; k0 += SKINNY_BK) {
        stage_w_bf16<SKINNY_BN, SKINNY_BK, 32>(w, n, k, block_n, k0, b_s);
        stage_x_bf16<SKINNY_BM, SKINNY_BK, 32>(x, m, k, block_m, k0, a_s);
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < SKINNY_BK; kk += 16) {
            wmma::fragment<wmma::matrix_a, 16, 16, 16, __nv_bfloat16, wmma::row_major> a_frag;
            wmma::fragment<wmma::matrix_b, 16, 16, 16, __nv_bfloat16, wmma::col_major> b_frag;
            wmma::load_matrix_sync(a_frag, &a_s[0][kk], SKINNY_BK + GEMM_PAD);
            wmma::load_matrix_sync(b_frag, &b_s[0][kk], SKINNY_BK + GEMM_PAD);
            wmma::mma_sync(acc, a_frag, b_frag, acc);
        }
        __syncthreads();
    }

    wmma::store_matrix_sync(&c_s[0][0], acc, SKINNY_BN + 4, wmma::mem_row_major);
    __syncthreads();
    for (int i = lane; i < SKINNY_BM * SKINNY_BN; i += 32) {
        const int r = i / SKINNY_BN;
        const int c = i - r * SKINNY_BN;
        const int gm = block_m + r;
        const int gn = block_n + c;
        if (gm < m && gn < n) {
            y[(size_t)gm * n + gn] = c_s[r][c] + (bias != nullptr ? bias[gn] : 0.f);
        }
    }
}

// ---- F32 GEMM on CUDA cores ----------------------------------------------------------------------------
//
// Block tile 64 x 64, K-step 16, 256 threads as 16 x 16, each thread a 4 x 4 patch of outputs.
// Tiles are staged k-major so a thread reads 4 consecutive m (or n) values of one k:
//
//   x_s [16][64 + 4]   x_s[kk][r] = X[block_m + r][k0 + kk]
//   w_s [16][64 + 4]   w_s[kk][c] = W[block_n + c][k0 + kk]
#define F32_BM 64
#define F32_BN 64
#define F32_BK 16

extern "C" __global__ void __launch_bounds__(256) gemm_f32(
        const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ bias,
        float* __restrict__ y, int m, int n, int k) {
    __shared__ float x_s[F32_BK][F32_BM + 4];
    __shared__ float w_s[F32_BK][F32_BN + 4];
    const int block_m = blockIdx.y * F32_BM;
    const int block_n = blockIdx.x * F32_BN;
    const int tx = threadIdx.x & 15;  // n direction
    const int ty = threadIdx.x >> 4;  // m direction
    float acc[4][4] = {};

    for (int k0 = 0; k0 < k; k0 += F32_BK) {
        // 64 x 16 values of each operand, 4 per thread; consecutive threads read consecutive k (coalesced).
        for (int i = threadIdx.x; i < F32_BM * F32_BK; i += 256) {
            const int r = i / F32_BK;
            const int kk = i - r * F32_BK;
            const int gk = k0 + kk;
            x_s[kk][r] = (block_m + r < m && gk < k) ? x[(size_t)(block_m + r) * k + gk] : 0.f;
            w_s[kk][r] = (block_n + r < n && gk < k) ? w[(size_t)(block_n + r) * k + gk] : 0.f;
        }
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < F32_BK; ++kk) {
            float xv[4];
            float wv[4];
#pragma unroll
            for (int i = 0; i < 4; ++i) {
                xv[i] = x_s[kk][ty * 4 + i];
                wv[i] = w_s[kk][tx * 4 + i];
            }
#pragma unroll
            for (int i = 0; i < 4; ++i) {
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    acc[i][j] = fmaf(xv[i], wv[j], acc[i][j]);
                }
            }
        }
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < 4; ++i) {
        const int gm = block_m + ty * 4 + i;
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            const int gn = block_n + tx * 4 + j;
            if (gm < m && gn < n) {
                y[(size_t)gm * n + gn] = acc[i][j] + (bias != nullptr ? bias[gn] : 0.f);
            }
        }
    }
}
