package io.prefixflow.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Batch invariance, bit for bit: a token's outputs are the same whether it is multiplied alone
 * (decode path), in a batch of any size (tiled path, at any tile position, across token blocks), or
 * with the rows split into ranges as threads would split them.
 */
class BatchInvarianceTest {

    @Property(tries = 40)
    void aloneEqualsBatched(@ForAll("types") GgmlType type, @ForAll @IntRange(min = 1, max = 11) int rows,
                            @ForAll @IntRange(min = 2, max = 23) int nTokens, @ForAll long seed) {
        Random random = new Random(seed);
        int cols = WeightMatrixTestData.randomCols(random, type, 200);
        checkInvariance(type, rows, cols, nTokens, random);
    }

    /**
     * Large enough cols and tokens that the batch spans several token blocks and each row several column spans,
     * the last one short: 142 tokens of 2,048 columns are blocks of 35, 35, 35 and 37 (a last block of 2 joins the
     * one before it, and its 37 tokens end in a 2-token remainder).
     */
    @Test
    void aloneEqualsBatchedAcrossTokenBlocks() {
        Random random = new Random(11);
        for (GgmlType type : GgmlType.values()) {
            int cols = type.blockSize() > 1 ? 2048 : 2051;
            checkInvariance(type, 7, cols, 142, random);
        }
    }

    private static void checkInvariance(GgmlType type, int rows, int cols, int nTokens, Random random) {
        WeightMatrix w = WeightMatrixTestData.matrix(type, WeightMatrixTestData.gaussian(random, rows * cols, 0.5f),
                rows, cols, random.nextInt(40));
        float[] x = WeightMatrixTestData.gaussian(random, nTokens * cols, 1f);
        float[] batched = new float[nTokens * rows];
        w.matmul(x, cols, nTokens, batched, rows, 0, rows);

        float[] alone = new float[nTokens * rows];
        for (int t = 0; t < nTokens; t++) {
            float[] y = new float[rows];
            w.matmul(Arrays.copyOfRange(x, t * cols, (t + 1) * cols), cols, 1, y, rows, 0, rows);
            System.arraycopy(y, 0, alone, t * rows, rows);
        }
        assertArrayEquals(alone, batched,
                type + " " + rows + "x" + cols + ", " + nTokens + " tokens: alone vs batched");

        // the same batch, its tokens split at a random point and its rows at another
        float[] split = new float[nTokens * rows];
        int tokenSplit = 1 + random.nextInt(nTokens - 1);
        int rowSplit = random.nextInt(rows + 1);
        w.matmul(x, cols, tokenSplit, split, rows, 0, rowSplit);
        w.matmul(x, cols, tokenSplit, split, rows, rowSplit, rows);
        float[] rest = new float[(nTokens - tokenSplit) * rows];
        w.matmul(Arrays.copyOfRange(x, tokenSplit * cols, nTokens * cols), cols, nTokens - tokenSplit, rest, rows,
                0, rows);
        System.arraycopy(rest, 0, split, tokenSplit * rows, rest.length);
        assertArrayEquals(batched, split, type + ": batch split at token " + tokenSplit + ", row " + rowSplit);
    }

    @Provide
    Arbitrary<GgmlType> types() {
        return Arbitraries.of(GgmlType.values());
    }
}
