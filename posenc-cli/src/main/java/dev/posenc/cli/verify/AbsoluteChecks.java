package dev.posenc.cli.verify;

import java.util.SplittableRandom;

/** The articles' claims about absolute encodings (sinusoidal and learned tables). */
public final class AbsoluteChecks {
    /** Vaswani et al.'s d_model: the wavelength claim is about the original Transformer. */
    static final int WAVELENGTH_D_MODEL = 512;
    static final double WAVELENGTH_REL_TOL = 1e-6;
    /** Longest wavelength / (10000 * 2 pi) is 10000^(-2/d) by design (0.965 at d = 512): "up to 10000 * 2 pi". */
    static final double LONGEST_LOWER = 0.95;
    static final int LINEAR_D_MODEL = 64;
    /** Fit and test positions are drawn from [0, LINEAR_POSITIONS): every pair turns at least once. */
    static final int LINEAR_POSITIONS = 50_000;
    static final int LINEAR_FIT_ROWS = 512;
    static final int LINEAR_TEST_ROWS = 512;
    static final int[] LINEAR_OFFSETS = {1, 7, 100, 1000};
    /** The table is float32 at worst; a linear map reproduces it to a few float ulps of 1. */
    static final double LINEAR_RESIDUAL_MAX = 1e-5;
    static final int LEARNED_PROBE_PAST_END = 16;

    private AbsoluteChecks() {}

    /**
     * The survey: "PE(pos + k) is a linear function of PE(pos)". For each offset k, one matrix {@code M_k} is fitted by
     * least squares on random positions ({@code PE(p) M_k ~ PE(p + k)}) and tested on other random positions.
     */
    public static CheckResult sinusoidalLinear(SinusoidalTable table, long seed) {
        int maxOffset = LINEAR_OFFSETS[LINEAR_OFFSETS.length - 1];
        double[][] pe = table.rows(LINEAR_POSITIONS + maxOffset, LINEAR_D_MODEL);
        SplittableRandom rnd = new SplittableRandom(seed);
        double worst = 0;
        for (int k : LINEAR_OFFSETS) {
            double[][] x = new double[LINEAR_FIT_ROWS][];
            double[][] y = new double[LINEAR_FIT_ROWS][];
            for (int r = 0; r < LINEAR_FIT_ROWS; r++) {
                int p = rnd.nextInt(LINEAR_POSITIONS);
                x[r] = pe[p];
                y[r] = pe[p + k];
            }
            double[][] m = LeastSquares.solve(x, y);
            for (int r = 0; r < LINEAR_TEST_ROWS; r++) {
                int p = rnd.nextInt(LINEAR_POSITIONS);
                for (int c = 0; c < LINEAR_D_MODEL; c++) {
                    double predicted = 0;
                    for (int t = 0; t < LINEAR_D_MODEL; t++) {
                        predicted += pe[p][t] * m[t][c];
                    }
                    worst = Math.max(worst, Math.abs(predicted - pe[p + k][c]));
                }
            }
        }
        return Threshold.atMost(LINEAR_RESIDUAL_MAX).judge("sinusoidal-linear",
                "sinusoidal PE(pos + k) is a linear function of PE(pos): max |PE(p) M_k - PE(p + k)| on held-out"
                        + " positions, M_k fitted by least squares, k in " + java.util.Arrays.toString(LINEAR_OFFSETS)
                        + ", d=" + LINEAR_D_MODEL,
                worst);
    }

    /** The wavelength {@code 2 pi / omega_i} of each sin/cos pair, read off {@code PE(1) = (sin omega_i, cos omega_i)}. */
    public static double[] wavelengths(SinusoidalTable table, int dModel) {
        double[] pe1 = table.rows(2, dModel)[1];
        double[] lambda = new double[dModel / 2];
        for (int i = 0; i < lambda.length; i++) {
            lambda[i] = 2 * Math.PI / Math.atan2(pe1[2 * i], pe1[2 * i + 1]);
        }
        return lambda;
    }

    public static CheckResult shortestWavelength(SinusoidalTable table) {
        double[] lambda = wavelengths(table, WAVELENGTH_D_MODEL);
        double shortest = java.util.Arrays.stream(lambda).min().orElseThrow();
        return Threshold.within(1, WAVELENGTH_REL_TOL).judge("sinusoidal-wavelength-shortest",
                "sinusoidal wavelengths start at 2 pi: shortest wavelength / (2 pi), d=" + WAVELENGTH_D_MODEL,
                shortest / (2 * Math.PI));
    }

    public static CheckResult longestWavelength(SinusoidalTable table) {
        double[] lambda = wavelengths(table, WAVELENGTH_D_MODEL);
        double longest = java.util.Arrays.stream(lambda).max().orElseThrow();
        return Threshold.between(LONGEST_LOWER, 1).judge("sinusoidal-wavelength-longest",
                "sinusoidal wavelengths run up to 10000 * 2 pi: longest wavelength / (10000 * 2 pi), d="
                        + WAVELENGTH_D_MODEL + " (10000^(-2/d) = 0.965 by design)",
                longest / (10000 * 2 * Math.PI));
    }

    public static CheckResult geometricWavelengths(SinusoidalTable table) {
        double[] lambda = wavelengths(table, WAVELENGTH_D_MODEL);
        double mean = Math.log(lambda[lambda.length - 1] / lambda[0]) / (lambda.length - 1);
        double worst = 0;
        for (int i = 1; i < lambda.length; i++) {
            worst = Math.max(worst, Math.abs(Math.log(lambda[i] / lambda[i - 1]) - mean) / mean);
        }
        return Threshold.atMost(WAVELENGTH_REL_TOL * 100).judge("sinusoidal-wavelength-geometric",
                "the wavelengths in between form a geometric progression: max relative deviation of"
                        + " ln(lambda_(i+1) / lambda_i) from its mean, d=" + WAVELENGTH_D_MODEL,
                worst);
    }

    /** The notes after Su Jianlin and the survey: a learned table has no row past its length; asking for one is an error, never a made-up row. */
    public static CheckResult learnedBounded(LearnedTable table) {
        int served = 0;
        for (int p = 0; p < table.length() + LEARNED_PROBE_PAST_END; p++) {
            try {
                table.row(p);
                served++;
            } catch (IllegalArgumentException e) {
                if (p < table.length()) {
                    break;
                }
            }
        }
        return Threshold.equalTo(table.length()).judge("learned-bounded",
                "a learned table cannot go past its length: positions served out of the first "
                        + (table.length() + LEARNED_PROBE_PAST_END) + " asked, table length " + table.length(),
                served);
    }
}
