package dev.posenc.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Vector API tile operations equal the scalar reference. */
class TileOpsTest {
    /** Dot products of up to 130 terms of order 1, summed in another order. */
    static final double DOT_ABS_TOL = 2e-5;
    /** The vector exponential is within 1 ulp of the exact value, Math.exp within 1 ulp too. */
    static final double EXP_REL_TOL = 3e-7;

    @Test
    void vectorOpsEqualScalarOps() {
        assumeTrue(VectorAvailability.ENABLED, "jdk.incubator.vector not resolved");
        TileOps vector = VectorAvailability.vectorOps();
        TileOps scalar = ScalarTileOps.INSTANCE;
        SplittableRandom random = new SplittableRandom(5);
        for (int d : new int[] {1, 7, 8, 16, 64, 128, 130}) {
            int rows = 5;
            int cols = 11;
            float[] q = EncodingFixtures.gaussian(random, 9 * d);
            float[] k = EncodingFixtures.gaussian(random, 20 * d);
            float[] a = new float[rows * 16];
            float[] b = new float[rows * 16];
            vector.dots(q, 2, rows, vector.layoutKeys(k, 20, d), 3, cols, d, a, 16);
            scalar.dots(q, 2, rows, scalar.layoutKeys(k, 20, d), 3, cols, d, b, 16);
            assertArrayEquals(b, a, (float) DOT_ABS_TOL, "dots d=" + d + " seed 5");

            // rows of a causal diagonal tile: row r sees n[r] keys, its weights past n[r] are zero
            int[] n = {cols, cols - 2, 0, cols, 1};
            float[] correction = {0.75f, 1f, 1f, 0.5f, 0f};
            float[] p = EncodingFixtures.gaussian(random, rows * 16);
            for (int r = 0; r < rows; r++) {
                java.util.Arrays.fill(p, r * 16 + n[r], r * 16 + 16, 0f);
            }
            float[] accA = EncodingFixtures.gaussian(random, rows * d);
            float[] accB = accA.clone();
            vector.accumulate(accA, correction, n, rows, p, 16, vector.layoutValues(k, 20, d), 2, d);
            scalar.accumulate(accB, correction, n, rows, p, 16, scalar.layoutValues(k, 20, d), 2, d);
            assertArrayEquals(accB, accA, (float) DOT_ABS_TOL, "accumulate d=" + d);
        }
        for (int n : new int[] {1, 5, 8, 33, 128}) {
            float[] row = EncodingFixtures.gaussian(random, n + 2);
            float[] add = EncodingFixtures.gaussian(random, n + 4);
            float[] x = row.clone();
            float[] y = row.clone();
            vector.scaleAdd(x, 2, n, 0.3f, add, 4);
            scalar.scaleAdd(y, 2, n, 0.3f, add, 4);
            assertArrayEquals(y, x, "scaleAdd n=" + n);
            assertEquals(scalar.max(x, 2, n), vector.max(x, 2, n), "max n=" + n);
            float max = scalar.max(x, 2, n);
            float sx = vector.expSum(x, 2, n, max);
            float sy = scalar.expSum(y, 2, n, max);
            assertEquals(sy, sx, EXP_REL_TOL * n * sy, "expSum n=" + n);
            for (int c = 0; c < n; c++) {
                assertEquals(y[2 + c], x[2 + c], EXP_REL_TOL * y[2 + c], "exp n=" + n + " c=" + c);
            }
            vector.scale(x, 2, n, 2f);
            scalar.scale(y, 2, n, 2f);
            assertArrayEquals(y, x, (float) (EXP_REL_TOL * 2), "scale n=" + n);
        }
    }
}
