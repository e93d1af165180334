package io.prefixflow.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LaunchGeometryTest {
    @Test
    void gemmGridCoversEveryOutputWithWholeTiles() {
        // x over output features (n), y over tokens (m).
        assertArrayEquals(new int[] {128, 1}, LaunchGeometry.gemmGrid(WeightPrecision.BF16, 1, 2048));
        assertArrayEquals(new int[] {32, 1}, LaunchGeometry.gemmGrid(WeightPrecision.BF16, 17, 2048));
        assertArrayEquals(new int[] {2004, 4}, LaunchGeometry.gemmGrid(WeightPrecision.BF16, 256, 128_256));
        assertArrayEquals(new int[] {3, 2}, LaunchGeometry.gemmGrid(WeightPrecision.F32, 65, 172));
        assertEquals(128, LaunchGeometry.gemmThreads(WeightPrecision.BF16, 17));
        assertEquals(32, LaunchGeometry.gemmThreads(WeightPrecision.BF16, 16));
        assertEquals(256, LaunchGeometry.gemmThreads(WeightPrecision.F32, 1));
        assertEquals("gemm_bf16_wmma_skinny", LaunchGeometry.gemmKernel(WeightPrecision.BF16, 1));
        assertEquals("gemm_bf16_wmma", LaunchGeometry.gemmKernel(WeightPrecision.BF16, 17));
        assertEquals("gemm_f32", LaunchGeometry.gemmKernel(WeightPrecision.F32, 1));
    }

    @Test
    void attentionVariantHoldsTheHeadInRegisters() {
        assertEquals("paged_attention_d32", LaunchGeometry.attentionKernel(8));
        assertEquals("paged_attention_d32", LaunchGeometry.attentionKernel(32));
        assertEquals("paged_attention_d64", LaunchGeometry.attentionKernel(48));
        assertEquals("paged_attention_d64", LaunchGeometry.attentionKernel(64));
        assertEquals("paged_attention_d128", LaunchGeometry.attentionKernel(96));
        assertEquals("paged_attention_d128", LaunchGeometry.attentionKernel(128));
        assertEquals("paged_attention_d256", LaunchGeometry.attentionKernel(256));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchGeometry.attentionKernel(288));
        assertTrue(e.getMessage().contains("1..256"), e.getMessage());
    }

    @Test
    void attentionSharedMemoryIsQTilePlusPaddedKPlusV() {
        // 16 query rows, 32 keys padded by one float, 32 values.
        assertEquals(4 * (16 * 64 + 32 * 65 + 32 * 64), LaunchGeometry.attentionSharedBytes(64));
        assertTrue(LaunchGeometry.attentionSharedBytes(128) <= 48 * 1024, "head 128 fits the default 48 KiB");
        assertTrue(LaunchGeometry.attentionSharedBytes(256) > 48 * 1024, "head 256 needs the opt-in limit");
    }

    @Test
    void attentionTilesCountRowsOfTokenTimesGroup() {
        assertEquals(1, LaunchGeometry.attentionTiles(1, 4));   // a decode token of a 4-head group
        assertEquals(1, LaunchGeometry.attentionTiles(4, 4));
        assertEquals(2, LaunchGeometry.attentionTiles(5, 4));
        assertEquals(32, LaunchGeometry.attentionTiles(512, 1));
        assertEquals(128, LaunchGeometry.attentionTiles(512, 4));
    }

    @Test
    void elementwiseGridIsBoundedAndNeverEmpty() {
        assertEquals(1, LaunchGeometry.elementwiseBlocks(0));
        assertEquals(1, LaunchGeometry.elementwiseBlocks(256));
        assertEquals(2, LaunchGeometry.elementwiseBlocks(257));
        assertEquals(LaunchGeometry.ELEMENTWISE_MAX_BLOCKS, LaunchGeometry.elementwiseBlocks(1L << 40));
    }

    @Test
    void activationCapacityGrowsGeometrically() {
        assertEquals(5, DeviceActivations.grow(0, 5));
        assertEquals(8, DeviceActivations.grow(8, 5));
        assertEquals(16, DeviceActivations.grow(8, 9));
        assertEquals(100, DeviceActivations.grow(8, 100));
    }
}
