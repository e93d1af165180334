package io.prefixflow.runtime.tensor;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Base of the typed matrices: the fast product converts a few rows at a time into a small float panel
 * (L1/L2-resident, one per thread) and runs the {@link PanelTiles} register tiles over it.
 *
 * <p>Why a panel rather than converting inside the FMA loop: on JDK 17 a vector load from a
 * {@link ByteBuffer} costs several times an array load (measured 25 vs 44 GFLOP/s for the same tile;
 * 0.23 vs 0.07 ns per converted int8), while a bulk copy out of the buffer runs at memcpy speed. So
 * rows are bulk-copied into per-thread arrays, converted from there, and a converted row serves every
 * token of a block: conversion is paid once per row and token block instead of once per tile. The
 * matrix is never dequantized whole: a panel holds at most four rows. A subclass supplies the
 * vectorized row conversion ({@link #unpackRows}), the scalar reference and, optionally, a
 * single-token kernel that converts in registers ({@link #matvecFused}).
 *
 * <p>Loop order for a batch: token blocks sized so their inputs stay in L2, then panels of
 * {@link PanelTiles#TILE_ROWS} rows (2, or 4 with AVX-512's 32 registers), then spans of
 * {@link #SPAN_COLS} columns, then tiles of 5 tokens (the last one partial, or a remainder of 1 or 2 tokens by
 * the one-token tile after the spans), each tile's accumulators carried from span to span in memory (bit for bit
 * the values of one pass). For 2
 * to 4 tokens: 4-row panels and one 4x1 tile per token (with AVX-512, from 3 tokens one partial 4x5 tile:
 * the panel read once). For one token (decode): the type's fused
 * kernel where it has one, else the 4-row panel; either streams each weight once with independent
 * accumulators per row.
 *
 * <p>NOTE: the panel and the raw copies live in a per-thread {@link PanelScratch}, grown on first use
 * for a larger {@code cols}; in steady state the product allocates nothing.
 */
abstract class PanelWeightMatrix extends WeightMatrix {
    /** Bytes of inputs a token block may take, so a block stays in L2 while panels pass. */
    private static final int TOKEN_BLOCK_BYTES = 256 * 1024;
    /**
     * Tokens a block holds at least, whatever its bytes: each block converts every panel again, and by bytes alone
     * an 8192-column matrix (ffn_down of a 1B model) converted its rows once per 5 tokens. (1 MiB blocks for all
     * made a 768-column prefill 7 % slower.)
     */
    private static final int MIN_TOKEN_BLOCK = 35;
    /**
     * Columns a tile covers before the next tile of the block takes over: a 4-row panel stretch (8 KiB) and a
     * tile's inputs (10 KiB) stay in L1 while the block's tiles pass over them, instead of each tile streaming
     * whole rows from L2.
     */
    private static final int SPAN_COLS = 512;
    /** Rows up to this many columns run as one span: their panel and a tile's inputs fit L1 already. */
    private static final int MAX_UNSPLIT_COLS = 1024;
    /**
     * A token remainder up to this size runs the one-token tile once per token instead of a padded tile: 16
     * tokens as 5+5+5+1, not 4+4+4+4 (measured 3 % slower at 16 sequences on a 768-wide model), since a padded
     * tile still pays all of its FMAs.
     */
    private static final int REMAINDER_BY_TOKEN = 2;
    /** A last token block shorter than this part of {@link #tokenBlock} joins the block before it. */
    private static final int SHORT_LAST_BLOCK_PARTS = 4;
    private static final int DECODE_ROWS = PanelTiles.MAX_ROWS;
    /**
     * Tokens from which a decode batch (fewer than {@link PanelTiles#TILE_TOKENS}) runs one partial 4x5 tile
     * instead of a 4x1 tile per token: at 4 tokens 1.1-1.25x faster for F32, Q8_0 and Q4_K (one core,
     * 768 columns), at 3 about even, at 2 slower (a 4x1 tile per token wastes no FMA).
     */
    private static final int SHARED_TILE_MIN_TOKENS = 3;

    private final int tokenBlock;

    PanelWeightMatrix(GgmlType type, ByteBuffer data, int byteOffset, int rows, int cols) {
        super(data.duplicate().order(ByteOrder.LITTLE_ENDIAN), byteOffset, rows, cols);
        MatmulChecks.checkShape(type, data, byteOffset, rows, cols);
        int tokensFitting = TOKEN_BLOCK_BYTES / (cols * Float.BYTES) / PanelTiles.TILE_TOKENS
                * PanelTiles.TILE_TOKENS;
        this.tokenBlock = Math.max(MIN_TOKEN_BLOCK, tokensFitting);
    }

    /**
     * Converts rows {@code [row, row + rowCount)} to floats into {@code dst}, row after row, each
     * {@code cols} long, starting at {@code dstOff}; {@code scratch} holds work arrays for raw bytes.
     * Every element must come out exactly as the scalar decoding of that element gives it; the
     * conversion may round only where the type defines a rounding (a quantized value times its scale).
     */
    abstract void unpackRows(PanelScratch scratch, int row, int rowCount, float[] dst, int dstOff);

    /**
     * Optionally, rows {@code [r, r + rowCount)} ({@code rowCount <= 4}) times the single token
     * {@code x[0 .. cols)} into {@code y[r ..]}, converting inside the FMA loop instead of through the
     * panel rows; returns false when the type has no such kernel. NOTE: it must compute every value
     * with exactly the operations of {@link PanelTiles} (same converted weights, one accumulator per
     * value in column order, {@link PanelTiles#laneSum}) so that decode and batched results agree bit
     * for bit.
     */
    boolean matvecFused(PanelScratch scratch, float[] panel, int r, int rowCount, float[] x, float[] y) {
        return false;
    }

    @Override
    public final void copyRow(int row, float[] dst, int dstOff) {
        MatmulChecks.checkRow(this, row);
        unpackRows(PanelScratch.current(), row, 1, dst, dstOff);
    }

    @Override
    public final void matmul(float[] x, int xStride, int nTokens, float[] y, int yStride, int rowStart, int rowEnd) {
        MatmulChecks.checkArgs(this, x, xStride, nTokens, y, yStride, rowStart, rowEnd);
        if (nTokens == 0 || rowStart == rowEnd) {
            return;
        }
        PanelScratch scratch = PanelScratch.current();
        float[] panel = scratch.panel(PanelTiles.panelLength(cols));
        if (nTokens < PanelTiles.TILE_TOKENS) {
            decode(scratch, panel, x, xStride, nTokens, y, yStride, rowStart, rowEnd);
            return;
        }
        int vectorCols = cols - cols % SimdLanes.LANES;
        int span = vectorCols <= MAX_UNSPLIT_COLS ? vectorCols : SPAN_COLS;
        for (int t0 = 0, count; t0 < nTokens; t0 += count) {
            count = blockTokens(nTokens - t0);
            int remainder = count % PanelTiles.TILE_TOKENS;
            int tiled = remainder <= REMAINDER_BY_TOKEN ? count - remainder : count;
            int tiles = (tiled + PanelTiles.TILE_TOKENS - 1) / PanelTiles.TILE_TOKENS;
            float[] accs = scratch.accumulators(tiles * PanelTiles.TILE_ACCUMULATOR_FLOATS);
            for (int r = rowStart; r < rowEnd; r += PanelTiles.TILE_ROWS) {
                int rowCount = Math.min(PanelTiles.TILE_ROWS, rowEnd - r);
                unpackRows(scratch, r, rowCount, panel, 0);
                int c0 = 0;
                do { // at least once: a span of no columns still zeroes the accumulators
                    int c1 = Math.min(vectorCols, c0 + span);
                    for (int k = 0; k < tiles; k++) {
                        PanelTiles.tileSpan(panel, rowCount, cols, c0, c1, x, xStride, t0 + k * PanelTiles.TILE_TOKENS,
                                tileTokens(tiled, k), accs, k * PanelTiles.TILE_ACCUMULATOR_FLOATS);
                    }
                    c0 = c1;
                } while (c0 < vectorCols);
                for (int k = 0; k < tiles; k++) {
                    PanelTiles.finishStored(panel, accs, k * PanelTiles.TILE_ACCUMULATOR_FLOATS, rowCount, cols, x,
                            xStride, t0 + k * PanelTiles.TILE_TOKENS, tileTokens(tiled, k), y, yStride, r);
                }
                for (int t = t0 + tiled; t < t0 + count; t++) {
                    PanelTiles.tile4x1(panel, rowCount, cols, x, xStride, t, y, yStride, r);
                }
            }
        }
    }

    /**
     * Tokens of the next token block when {@code left} remain: {@link #tokenBlock}, or all of them when the rest
     * would be a short last block (every block converts every panel again: 512 tokens in blocks of 85 made a seventh
     * pass over the weights for the last 2 tokens).
     */
    private int blockTokens(int left) {
        return left <= tokenBlock + tokenBlock / SHORT_LAST_BLOCK_PARTS ? left : tokenBlock;
    }

    /** Tokens of tile {@code k} when {@code count} tokens are cut into tiles of {@link PanelTiles#TILE_TOKENS}. */
    private static int tileTokens(int count, int k) {
        return Math.min(PanelTiles.TILE_TOKENS, count - k * PanelTiles.TILE_TOKENS);
    }

    private void decode(PanelScratch scratch, float[] panel, float[] x, int xStride, int nTokens, float[] y,
                        int yStride, int rowStart, int rowEnd) {
        for (int r = rowStart; r < rowEnd; r += DECODE_ROWS) {
            int rowCount = Math.min(DECODE_ROWS, rowEnd - r);
            if (nTokens == 1 && matvecFused(scratch, panel, r, rowCount, x, y)) {
                continue;
            }
            unpackRows(scratch, r, rowCount, panel, 0);
            if (nTokens >= SHARED_TILE_MIN_TOKENS && PanelTiles.TILE_ROWS == DECODE_ROWS) {
                // one partial 4x5 tile: the panel read once for all tokens, 4 * nTokens independent chains
                PanelTiles.tile4x5(panel, rowCount, cols, x, xStride, 0, nTokens, y, yStride, r);
                continue;
            }
            for (int t = 0; t < nTokens; t++) {
                PanelTiles.tile4x1(panel, rowCount, cols, x, xStride, t, y, yStride, r);
            }
        }
    }
}
