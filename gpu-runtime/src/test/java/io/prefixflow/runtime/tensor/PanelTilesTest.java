package io.prefixflow.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.prefixflow.runtime.kernel.SimdLanes;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Every register tile computes each value with the same arithmetic: whichever tile the hardware picks (2x5 on
 * AVX2, 4x5 on AVX-512), run over all columns at once or span by span, a value's bits equal those of the
 * one-token tile. Both wide tiles run here whatever the machine, so the shape not picked on this machine is
 * checked too.
 */
class PanelTilesTest {

    @Property(tries = 60)
    void everyTileGivesTheOneTokenTilesBits(@ForAll @IntRange(min = 1, max = 4) int rowCount,
                                            @ForAll @IntRange(min = 1, max = 5) int tokenCount,
                                            @ForAll @IntRange(min = 1, max = 300) int cols, @ForAll long seed) {
        Random random = new Random(seed);
        float[] panel = new float[PanelTiles.panelLength(cols)];
        float[] weights = WeightMatrixTestData.gaussian(random, rowCount * cols, 0.5f);
        System.arraycopy(weights, 0, panel, 0, weights.length);
        int xStride = cols + random.nextInt(3);
        int firstToken = random.nextInt(3);
        float[] x = WeightMatrixTestData.gaussian(random, (firstToken + tokenCount) * xStride, 1f);
        int yStride = rowCount + 1 + random.nextInt(3);
        int r = random.nextInt(2);
        int ySize = (firstToken + tokenCount) * yStride;

        float[] oneByOne = new float[ySize];
        for (int t = firstToken; t < firstToken + tokenCount; t++) {
            PanelTiles.tile4x1(panel, rowCount, cols, x, xStride, t, oneByOne, yStride, r);
        }
        float[] wide = new float[ySize];
        PanelTiles.tile4x5(panel, rowCount, cols, x, xStride, firstToken, tokenCount, wide, yStride, r);
        assertArrayEquals(oneByOne, wide, "4x5 tile, " + rowCount + " rows, " + tokenCount + " tokens");

        // the batched product's form: the columns cut into random spans, accumulators carried in memory
        int spanVectors = 1 + random.nextInt(8);
        float[] spanned = overSpans(true, panel, rowCount, cols, x, xStride, firstToken, tokenCount, yStride, r,
                spanVectors, random.nextInt(5), ySize);
        assertArrayEquals(oneByOne, spanned, "4x5 tile over spans of " + spanVectors + " vectors, " + rowCount
                + " rows, " + tokenCount + " tokens");
        if (rowCount <= 2) {
            float[] narrow = overSpans(false, panel, rowCount, cols, x, xStride, firstToken, tokenCount, yStride, r,
                    spanVectors, random.nextInt(5), ySize);
            assertArrayEquals(oneByOne, narrow, "2x5 tile over spans of " + spanVectors + " vectors, " + rowCount
                    + " rows, " + tokenCount + " tokens");
        }
    }

    /** The 4x5 (or 2x5) tile run span by span over all columns, accumulators at {@code accOff}, then finished. */
    private static float[] overSpans(boolean wide, float[] panel, int rowCount, int cols, float[] x, int xStride,
                                     int firstToken, int tokenCount, int yStride, int r, int spanVectors, int accOff,
                                     int ySize) {
        int vectorCols = cols - cols % SimdLanes.LANES;
        float[] accs = new float[accOff + PanelTiles.TILE_ACCUMULATOR_FLOATS];
        int c0 = 0;
        do {
            int c1 = Math.min(vectorCols, c0 + spanVectors * SimdLanes.LANES);
            if (wide) {
                PanelTiles.tile4x5Span(panel, rowCount, cols, c0, c1, x, xStride, firstToken, tokenCount, accs, accOff);
            } else {
                PanelTiles.tile2x5Span(panel, rowCount, cols, c0, c1, x, xStride, firstToken, tokenCount, accs, accOff);
            }
            c0 = c1;
        } while (c0 < vectorCols);
        float[] y = new float[ySize];
        PanelTiles.finishStored(panel, accs, accOff, rowCount, cols, x, xStride, firstToken, tokenCount, y, yStride,
                r);
        return y;
    }
}
