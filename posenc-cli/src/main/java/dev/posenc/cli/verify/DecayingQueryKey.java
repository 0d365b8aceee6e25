package dev.posenc.cli.verify;

import dev.posenc.querykey.RotaryFrequencies;

/**
 * A query/key pair standing in for a trained model's: the query is fitted (ridge least squares) so that its RoPE
 * attention score against a fixed key, {@code score(m) = <R_m q, R_0 k>}, follows the decaying target
 * {@code 1 / (1 + m / TARGET_SCALE)} at every distance {@code m} below the training length, and nothing is asked
 * beyond it. Evaluated with other frequencies (a larger base, a scaling method) and beyond the training length,
 * it shows what the notes after Su Jianlin describe for Llama 3.1: scores that decay inside the training window
 * and rise again outside it, unless the frequencies are changed.
 *
 * <p>Every score is computed by the RoPE kernel under test; the fit only chooses the query.
 *
 * @param frequencies the frequencies the pair was fitted with ("trained" with)
 * @param trainingLength distances {@code [0, trainingLength)} were fitted
 * @param query the fitted query head
 * @param key the key head: every rotary pair {@code (1, 0)}
 */
public record DecayingQueryKey(RotaryFrequencies frequencies, int trainingLength, float[] query, float[] key) {
    /** Distance at which the target score has halved. */
    static final double TARGET_SCALE = 1000;
    /** Ridge penalty on the query's squared norm; keeps the fit from growing huge components outside the data. */
    static final double RIDGE = 0.1;

    public DecayingQueryKey {
        query = query.clone();
        key = key.clone();
    }

    @Override
    public float[] query() {
        return query.clone();
    }

    @Override
    public float[] key() {
        return key.clone();
    }

    public static DecayingQueryKey fit(RotarySubject kernel, RotaryFrequencies f, int trainingLength) {
        int p = f.pairs();
        double[] ones = new double[p];
        java.util.Arrays.fill(ones, 1);
        float[] key = Pairs.head(f, ones, new double[p]);
        float[] keyAtZero = kernel.rotated(f, key, 0);
        double[][] a = new double[trainingLength + 2 * p][2 * p];
        double[][] b = new double[trainingLength + 2 * p][1];
        for (int m = 0; m < trainingLength; m++) {
            float[] u = kernel.rotated(f, key, m);
            for (int j = 0; j < p; j++) {
                double ur = u[Pairs.first(f, j)];
                double ui = u[Pairs.second(f, j)];
                double kr = keyAtZero[Pairs.first(f, j)];
                double ki = keyAtZero[Pairs.second(f, j)];
                a[m][j] = ur * kr + ui * ki;
                a[m][p + j] = -ui * kr + ur * ki;
            }
            b[m][0] = 1 / (1 + m / TARGET_SCALE);
        }
        for (int j = 0; j < 2 * p; j++) {
            a[trainingLength + j][j] = Math.sqrt(RIDGE);
        }
        double[][] x = LeastSquares.solve(a, b);
        double[] re = new double[p];
        double[] im = new double[p];
        for (int j = 0; j < p; j++) {
            re[j] = x[j][0];
            im[j] = x[p + j][0];
        }
        return new DecayingQueryKey(f, trainingLength, Pairs.head(f, re, im), key);
    }

    /** {@code <R_m q, R_0 k>} with the given frequencies, for {@code m = 0, step, 2 step, ... < horizon}. */
    public double[] scores(RotarySubject kernel, RotaryFrequencies f, int horizon, int step) {
        float[] k0 = kernel.rotated(f, key, 0);
        double[] s = new double[(horizon + step - 1) / step];
        for (int i = 0; i < s.length; i++) {
            s[i] = Pairs.dot(kernel.rotated(f, query, (long) i * step), k0);
        }
        return s;
    }

    /**
     * The largest rise of a score curve, relative to its first value: {@code max over w1 < w2 of
     * (mean(w2) - mean(w1)) / scores[0]}, where {@code w1, w2} are consecutive windows of {@code window} samples.
     * Zero for a curve whose window means never increase.
     */
    public static double largestRise(double[] scores, int window) {
        int n = scores.length / window;
        double lowest = Double.POSITIVE_INFINITY;
        double rise = 0;
        for (int w = 0; w < n; w++) {
            double mean = 0;
            for (int i = w * window; i < (w + 1) * window; i++) {
                mean += scores[i];
            }
            mean /= window;
            rise = Math.max(rise, mean - lowest);
            lowest = Math.min(lowest, mean);
        }
        return rise / scores[0];
    }
}
