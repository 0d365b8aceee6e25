package dev.posenc.cli.verify;

/**
 * Dense linear least squares {@code min ||A X - B||} by Householder QR (Golub &amp; Van Loan, Matrix Computations,
 * 4th ed., Alg. 5.3.2), in double precision. QR rather than the normal equations because the checks fit
 * slowly varying sinusoids whose columns are nearly collinear; the normal equations would square that condition
 * number.
 */
final class LeastSquares {
    /** Relative size under which a column's remainder after the previous reflections counts as zero. */
    static final double DEPENDENT = 1e-12;

    private LeastSquares() {}

    /**
     * Solves {@code min ||A X - B||_F} for {@code X}; {@code A} is {@code m x n} with {@code m >= n}, {@code B} is
     * {@code m x k}. A column that is (to {@value #DEPENDENT} relative) a combination of the ones before it gets a zero
     * coefficient: a basic solution, so a rank-deficient input still gets its best fit. Inputs are not modified.
     *
     * @return {@code X}, {@code n x k}
     */
    static double[][] solve(double[][] a, double[][] b) {
        int m = a.length;
        int n = a[0].length;
        int k = b[0].length;
        if (m < n || b.length != m) {
            throw new IllegalArgumentException("least squares needs rows >= columns and matching B, got A "
                    + m + "x" + n + ", B " + b.length + "x" + k);
        }
        double[][] r = new double[m][];
        double[][] y = new double[m][];
        for (int i = 0; i < m; i++) {
            r[i] = a[i].clone();
            y[i] = b[i].clone();
        }
        double[] v = new double[m];
        boolean[] dependent = new boolean[n];
        for (int j = 0; j < n; j++) {
            double norm = 0;
            double full = 0;
            for (int i = 0; i < m; i++) {
                full = Math.hypot(full, r[i][j]);
                if (i >= j) {
                    norm = Math.hypot(norm, r[i][j]);
                }
            }
            if (norm <= DEPENDENT * full || norm == 0) {
                dependent[j] = true;
                continue;
            }
            double alpha = r[j][j] > 0 ? -norm : norm;
            double vv = 0;
            for (int i = j; i < m; i++) {
                v[i] = r[i][j];
            }
            v[j] -= alpha;
            for (int i = j; i < m; i++) {
                vv += v[i] * v[i];
            }
            if (vv == 0) {
                continue;
            }
            for (int c = j; c < n; c++) {
                reflect(r, c, v, j, m, vv);
            }
            for (int c = 0; c < k; c++) {
                reflect(y, c, v, j, m, vv);
            }
        }
        double[][] x = new double[n][k];
        for (int c = 0; c < k; c++) {
            for (int i = n - 1; i >= 0; i--) {
                if (dependent[i]) {
                    continue;
                }
                double s = y[i][c];
                for (int t = i + 1; t < n; t++) {
                    s -= r[i][t] * x[t][c];
                }
                x[i][c] = s / r[i][i];
            }
        }
        return x;
    }

    /** Applies {@code I - 2 v v^T / (v^T v)} to column {@code c} of {@code rows}, over rows {@code [from, m)}. */
    private static void reflect(double[][] rows, int c, double[] v, int from, int m, double vv) {
        double s = 0;
        for (int i = from; i < m; i++) {
            s += v[i] * rows[i][c];
        }
        double f = 2 * s / vv;
        for (int i = from; i < m; i++) {
            rows[i][c] -= f * v[i];
        }
    }
}
