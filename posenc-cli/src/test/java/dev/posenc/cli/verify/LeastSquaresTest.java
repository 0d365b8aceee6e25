package dev.posenc.cli.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastSquaresTest {
    /** A 40 × 6 Gaussian system in double is well conditioned: the solve loses a few digits of 1e-16, far below. */
    private static final double TOL = 1e-10;

    @Test
    void recoversAnExactSolution() {
        SplittableRandom rnd = new SplittableRandom(3);
        int m = 40;
        int n = 6;
        double[][] a = new double[m][n];
        double[][] x = new double[n][2];
        for (double[] row : x) {
            row[0] = rnd.nextGaussian();
            row[1] = rnd.nextGaussian();
        }
        double[][] b = new double[m][2];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = rnd.nextGaussian();
                b[i][0] += a[i][j] * x[j][0];
                b[i][1] += a[i][j] * x[j][1];
            }
        }
        double[][] solved = LeastSquares.solve(a, b);
        for (int j = 0; j < n; j++) {
            assertEquals(x[j][0], solved[j][0], TOL, "seed 3, x[" + j + "][0]");
            assertEquals(x[j][1], solved[j][1], TOL, "seed 3, x[" + j + "][1]");
        }
    }

    @Test
    void fitsTheMeanOfInconsistentRows() {
        double[][] a = {{1}, {1}, {1}};
        double[][] b = {{1}, {2}, {6}};
        assertEquals(3, LeastSquares.solve(a, b)[0][0], TOL);
    }

    @Test
    void dependentColumnGetsZeroAndTheFitStaysExact() {
        double[][] a = {{1, 2}, {2, 4}, {3, 6}};
        double[][] b = {{1}, {2}, {3}};
        double[][] x = LeastSquares.solve(a, b);
        assertEquals(1, x[0][0], TOL);
        assertEquals(0, x[1][0], TOL);
    }
}
