// Paged attention for decode and chunked prefill in one kernel: FlashAttention-style online softmax over
// key tiles read through block tables, causal masking, grouped-query attention, ragged sequences.
//
// Work decomposition. For one sequence and one KV head, the "rows" are every (new token, query head of the
// group) pair, token-major: row = token_in_chunk * group + head_in_group. A thread block takes a tile of
// ROWS_PER_BLOCK consecutive rows; the host lists the tiles as work items (sequence, first row), so a decode
// token (one row per query head) and a 500-token prefill chunk share one launch with no padding sequences.
//
//   grid  = (num_work_items, num_kv_heads)       block = 4 warps = 128 threads
//   warp w owns rows w, w + 4, w + 8, w + 12 of the tile (ROWS_PER_WARP = 4)
//
// All rows of a tile read the same keys, so K and V are loaded into shared memory once per key tile and
// used by every query head of the group (the GQA saving). Key tiles are KEY_TILE = 32 positions: lane j
// scores key j, and each lane accumulates the output dimensions d = lane + 32*i (i < DIMS_PER_LANE).
//
// Shared memory (dynamic), in floats, head_size = D:
//
//   q_s  [ROWS_PER_BLOCK][D]       the tile's queries
//   k_s  [KEY_TILE][D + 1]         +1 pad: lane j reads row j, so a column walk hits 32 different banks
//   v_s  [KEY_TILE][D]             lanes read consecutive d of one row: conflict-free without padding
//
// Causality: a row at position p sees keys 0..p. Keys of the current chunk were appended to the pool by
// kv_append before this kernel runs, so every key comes from the pool, prefix-cached or new alike.
#include "common.cuh"

#define ROWS_PER_WARP 4
#define WARPS_PER_BLOCK 4
#define ROWS_PER_BLOCK (ROWS_PER_WARP * WARPS_PER_BLOCK)
#define KEY_TILE 32

template <int DIMS_PER_LANE>
__device__ void attend_tile(const float* __restrict__ q, const float* __restrict__ k_pool,
                            const float* __restrict__ v_pool, float* __restrict__ out,
                            const int* __restrict__ work_items, const int* __restrict__ seq_token_start,
                            const int* __restrict__ seq_start_pos, const int* __restrict__ seq_table_offset,
                            const int* __restrict__ block_tables, int num_heads, int num_kv_heads, int head_size,
                            int block_size, float scale) {
    extern __shared__ float shared[];
    float* q_s = shared;
    float* k_s = q_s + ROWS_PER_BLOCK * head_size;
    float* v_s = k_s + KEY_TILE * (head_size + 1);

    const int seq = work_items[2 * blockIdx.x];
    const int first_row = work_items[2 * blockIdx.x + 1];
    const int kv_head = blockIdx.y;
    const int group = num_heads / num_kv_heads;
    const int first_token = seq_token_start[seq];
    const int num_tokens = seq_token_start[seq + 1] - first_token;
    const int start_pos = seq_start_pos[seq];
    const int* table = block_tables + seq_table_offset[seq];
    const int num_rows = min(ROWS_PER_BLOCK, num_tokens * group - first_row);
    const int dim = num_heads * head_size;
    const int kv_dim = num_kv_heads * head_size;
    // Rows are token-major, so the last row of the tile has the largest position.
    const int max_pos = start_pos + (first_row + num_rows - 1) / group;

    for (int i = threadIdx.x; i < ROWS_PER_BLOCK * head_size; i += blockDim.x) {
        const int r = i / head_size;
        const int d = i - r * head_size;
        float value = 0.f;
        if (r < num_rows) {
            const int row = first_row + r;
            const int token = first_token + row / group;
            const int head = kv_head * group + row % group;
            value = q[(size_t)token * dim + (size_t)head * head_size + d];
        }
        q_s[i] = value;
    }

    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    float row_max[ROWS_PER_WARP];
    float row_sum[ROWS_PER_WARP];
    float acc[ROWS_PER_WARP][DIMS_PER_LANE];
    int row_pos[ROWS_PER_WARP];
#pragma unroll
    for (int rr = 0; rr < ROWS_PER_WARP; ++rr) {
        const int r = warp + rr * WARPS_PER_BLOCK;
        row_max[rr] = -INFINITY;
        row_sum[rr] = 0.f;
        row_pos[rr] = r < num_rows ? start_pos + (first_row + r) / group : -1;
#pragma unroll
        for (int i = 0; i < DIMS_PER_LANE; ++i) {
            acc[rr][i] = 0.f;
        }
    }

    for (int tile_start = 0; tile_start <= max_pos; tile_start += KEY_TILE) {
        __syncthreads();  // the previous tile's K/V (and, the first time, q_s) are no longer being read/written
        for (int i = threadIdx.x; i < KEY_TILE * head_size; i += blockDim.x) {
            const int j = i / head_size;
            const int d = i - j * head_size;
            const int pos = tile_start + j;
            float kv_k = 0.f;
            float kv_v = 0.f;
            if (pos <= max_pos) {
                const int block = table[pos / block_size];
                const size_t src = ((size_t)block * block_size + pos % block_size) * kv_dim
                        + (size_t)kv_head * head_size + d;
                kv_k = k_pool[src];
                kv_v = v_pool[src];
            }
            k_s[j * (head_size + 1) + d] = kv_k;
            v_s[j * head_size + d] = kv_v;
        }
        __syncthreads();

#pragma unroll
        for (int rr = 0; rr < ROWS_PER_WARP; ++rr) {
            const int r = warp + rr * WARPS_PER_BLOCK;
            // Warp-uniform: a row outside the tile, or one whose position is before this key tile, skips.
            if (row_pos[rr] < tile_start) {
                continue;
            }
            const int key_pos = tile_start + lane;
            float score = -INFINITY;
            if (key_pos <= row_pos[rr]) {
                const float* qr = q_s + r * head_size;
                const float* kr = k_s + lane * (head_size + 1);
                float dot = 0.f;
                for (int d = 0; d < head_size; ++d) {
                    dot += qr[d] * kr[d];
                }
                score = dot * scale;
            }
            const float tile_max = warp_max(score);
            const float new_max = fmaxf(row_max[rr], tile_max);  // finite: key tile_start <= row_pos is valid
            const float p = key_pos <= row_pos[rr] ? expf(score - new_max) : 0.f;
            const float correction = expf(row_max[rr] - new_max);  // exp(-inf) = 0 on the first tile
            row_sum[rr] = row_sum[rr] * correction + warp_sum(p);
            row_max[rr] = new_max;
#pragma unroll
            for (int i = 0; i < DIMS_PER_LANE; ++i) {
                acc[rr][i] *= correction;
            }
            const int keys_here = min(KEY_TILE, row_pos[rr] - tile_start + 1);
            for (int j = 0; j < keys_here; ++j) {
                const float pj = __shfl_sync(FULL_WARP_MASK, p, j);
                const float* vr = v_s + j * head_size;
#pragma unroll
                for (int i = 0; i < DIMS_PER_LANE; ++i) {
                    const int d = lane + 32 * i;
                    if (d < head_size) {
                        acc[rr][i] += pj * vr[d];
                    }
                }
            }
        }
    }

#pragma unroll
    for (int rr = 0; rr < ROWS_PER_WARP; ++rr) {
        const int r = warp + rr * WARPS_PER_BLOCK;
        if (r >= num_rows) {
            continue;
        }
        const int row = first_row + r;
        const int token = first_token + row / group;
        const int head = kv_head * group + row % group;
        float* o = out + (size_t)token * dim + (size_t)head * head_size;
        const float inv_sum = 1.f / row_sum[rr];
#pragma unroll
        for (int i = 0; i < DIMS_PER_LANE; ++i) {
            const int d = lane + 32 * i;
            if (d < head_size) {
                o[d] = acc[rr][i] * inv_sum;
            }
        }
    }
}

// One entry point per register budget: DIMS_PER_LANE = ceil(head_size / 32). The host picks by head size.
#define PAGED_ATTENTION_ENTRY(NAME, DPL)                                                                    \
    extern "C" __global__ void __launch_bounds__(WARPS_PER_BLOCK * 32) NAME(                                 \
            const float* __restrict__ q, const float* __restrict__ k_pool, const float* __restrict__ v_pool,   \
            float* __restrict__ out, const int* __restrict__ work_items, const int* __restrict__ seq_token_start, \
            const int* __restrict__ seq_start_pos, const int* __restrict__ seq_table_offset,                   \
            const int* __restrict__ block_tables, int num_heads, int num_kv_heads, int head_size,              \
            int block_size, float scale) {                                                                     \
        attend_tile<DPL>(q, k_pool, v_pool, out, work_items, seq_token_start, seq_start_pos, seq_table_offset, \
                         block_tables, num_heads, num_kv_heads, head_size, block_size, scale);                 \
    }

PAGED_ATTENTION_ENTRY(paged_attention_d32, 1)
PAGED_ATTENTION_ENTRY(paged_attention_d64, 2)
PAGED_ATTENTION_ENTRY(paged_attention_d128, 4)
PAGED_ATTENTION_ENTRY(paged_attention_d256, 8)
