package dev.posenc.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Comparison of attention outputs, row by row, relative to each row's largest entry. */
final class Outputs {
    /**
     * The smallest row scale: a row whose entries are all smaller (an output near zero, e.g. a softmax average of
     * values that cancel) is compared absolutely at this scale rather than relative to rounding noise.
     */
    static final double ROW_SCALE_FLOOR = 1e-3;

    private Outputs() {}

    /**
     * Asserts {@code max_c |actual − expected| <= relTol · max(max_c |expected|, ROW_SCALE_FLOOR)} for every output row of
     * {@code headDim} values.
     */
    static void assertClose(float[] expected, float[] actual, int headDim, double relTol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int row = 0; row < expected.length / headDim; row++) {
            double norm = ROW_SCALE_FLOOR;
            double diff = 0;
            for (int c = 0; c < headDim; c++) {
                norm = Math.max(norm, Math.abs(expected[row * headDim + c]));
                diff = Math.max(diff, Math.abs(actual[row * headDim + c] - expected[row * headDim + c]));
            }
            if (!(diff <= relTol * norm)) {
                fail(what + ": row " + row + " differs by " + diff + " (relative " + diff / norm + " > " + relTol + ")");
            }
        }
    }

    /** The largest row-relative difference, for tests that require outputs to differ. */
    static double maxRelativeDifference(float[] a, float[] b, int headDim) {
        double worst = 0;
        for (int row = 0; row < a.length / headDim; row++) {
            double norm = ROW_SCALE_FLOOR;
            double diff = 0;
            for (int c = 0; c < headDim; c++) {
                norm = Math.max(norm, Math.abs(a[row * headDim + c]));
                diff = Math.max(diff, Math.abs(a[row * headDim + c] - b[row * headDim + c]));
            }
            worst = Math.max(worst, diff / norm);
        }
        return worst;
    }
}
