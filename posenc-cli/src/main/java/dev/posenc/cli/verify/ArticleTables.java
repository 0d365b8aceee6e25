package dev.posenc.cli.verify;

import dev.posenc.querykey.RotaryFrequencies;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The survey's own RoPE demonstrations ("位置编码 (Position Encoding)", 2025), recomputed by the build: the step-by-step rotation of one vector with its
 * norm before and after, and the relativity table {@code (m, n, m - n, dot product)}.
 *
 * <p>The survey's vectors are NumPy's {@code np.random.seed(42); np.random.randn(16)} (its printout matches them to
 * every printed digit): the first 8 values are the vector rotated step by step and the relativity table's q, the
 * next 8 are its k. Head size 8, base 10000, interleaved pairs, position 3 (angles {@code [3.0, 0.3, 0.03, ...]}).
 */
public final class ArticleTables {
    /** {@code np.random.seed(42); np.random.randn(16)}, NumPy's legacy Gaussian generator. */
    static final double[] SURVEY_VECTORS = {
        0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254,
        -0.23415337472333597, -0.23413695694918055, 1.5792128155073915, 0.7674347291529088,
        -0.4694743859349521, 0.5425600435859647, -0.46341769281246226, -0.46572975357025687,
        0.24196227156603412, -1.913280244657798, -1.7249178325130328, -0.5622875292409727
    };
    public static final int HEAD_DIM = 8;
    public static final double ROPE_THETA = 10000;
    static final int STEP_POSITION = 3;
    /** The survey prints the first three rotated pairs to 3 decimals. */
    static final double[] SURVEY_ROTATED = {-0.472, 0.207, 0.169, 1.646, -0.227, -0.241};
    static final double SURVEY_NORM = 2.48947373;
    /** Half a unit in the last printed place, plus float32 rounding. */
    static final double ROTATED_TOL = 5e-4 + 1e-6;
    static final double NORM_TOL = 5e-9 + 1e-6;
    /** The survey's relativity rows: m, n, dot_val, ro_dot_val (printed to 6 decimals). */
    static final double[][] SURVEY_RELATIVITY = {
        {0, 0, -4.081900, -4.081900},
        {4, 4, -4.081900, -4.081900},
        {10, 0, -2.769302, -3.336345},
        {15, 5, -2.769302, -3.336345},
        {18, 8, -2.769302, -3.336345},
        {6, 16, -3.336345, -2.769302},
        {16, 26, -3.336345, -2.769302},
        {3, 13, -3.336345, -2.769302},
    };
    /** Half a unit in the sixth decimal plus float32 rounding of an 8-term dot product of O(1) values. */
    static final double DOT_TOL = 2e-5;

    private ArticleTables() {}

    static float[] surveyVector(int from) {
        float[] x = new float[HEAD_DIM];
        for (int i = 0; i < HEAD_DIM; i++) {
            x[i] = (float) SURVEY_VECTORS[from + i];
        }
        return x;
    }

    /** The survey's q (also the vector it rotates step by step). */
    public static float[] surveyQuery() {
        return surveyVector(0);
    }

    /** The survey's k. */
    public static float[] surveyKey() {
        return surveyVector(HEAD_DIM);
    }

    /** The step-by-step table: one row per pair, original pair, angle, rotated pair. */
    public static Table steps(RotarySubject kernel, RotaryFrequencies f) {
        float[] x = surveyVector(0);
        float[] y = kernel.rotated(f, x, STEP_POSITION);
        List<List<String>> rows = new ArrayList<>();
        for (int j = 0; j < f.pairs(); j++) {
            int a = Pairs.first(f, j);
            int b = Pairs.second(f, j);
            rows.add(List.of(Integer.toString(j), pair(x[a], x[b]), fmt("%.4g", STEP_POSITION * (double) f.invFreq(j)),
                    pair(y[a], y[b])));
        }
        rows.add(List.of("norm", fmt("%.8f", Pairs.norm(x)), "", fmt("%.8f", Pairs.norm(y))));
        return new Table("rope-step-by-step",
                "The survey's RoPE step by step (d=8, base 10000, position 3): pairs, angles m*theta_i, rotated pairs",
                List.of("pair", "original", "angle (rad)", "rotated"), rows,
                "The survey prints: rotated [[-0.472, 0.207], [0.169, 1.646], [-0.227, -0.241]] ...;"
                        + " norm 2.48947373 before and after.");
    }

    public static CheckResult stepsMatchSurvey(RotarySubject kernel, RotaryFrequencies f) {
        float[] y = kernel.rotated(f, surveyVector(0), STEP_POSITION);
        double worst = 0;
        for (int j = 0; j < SURVEY_ROTATED.length / 2; j++) {
            worst = Math.max(worst, Math.abs(y[Pairs.first(f, j)] - SURVEY_ROTATED[2 * j]));
            worst = Math.max(worst, Math.abs(y[Pairs.second(f, j)] - SURVEY_ROTATED[2 * j + 1]));
        }
        return Threshold.atMost(ROTATED_TOL).judge("rope-step-by-step",
                "the survey's step-by-step rotation (d=8, position 3): max |rotated - the survey's printed value|", worst);
    }

    public static CheckResult normMatchesSurvey(RotarySubject kernel, RotaryFrequencies f) {
        float[] x = surveyVector(0);
        double before = Pairs.norm(x);
        double after = Pairs.norm(kernel.rotated(f, x, STEP_POSITION));
        double worst = Math.max(Math.abs(before - SURVEY_NORM), Math.abs(after - SURVEY_NORM));
        return Threshold.atMost(NORM_TOL).judge("rope-norm-check",
                "the survey's norm check: max |norm - 2.48947373| before and after the rotation", worst);
    }

    /** The relativity table: the build's values next to the survey's. */
    public static Table relativity(RotarySubject kernel, RotaryFrequencies f) {
        float[] q = surveyVector(0);
        float[] k = surveyVector(HEAD_DIM);
        List<List<String>> rows = new ArrayList<>();
        for (double[] row : SURVEY_RELATIVITY) {
            int m = (int) row[0];
            int n = (int) row[1];
            rows.add(List.of(Integer.toString(m), Integer.toString(n), Integer.toString(m - n),
                    fmt("%.6f", Pairs.dot(kernel.rotated(f, q, m), kernel.rotated(f, k, n))), fmt("%.6f", row[2]),
                    fmt("%.6f", relativeDot(kernel, f, q, k, n - m)), fmt("%.6f", row[3])));
        }
        return new Table("rope-relativity-table",
                "The survey's RoPE relativity (d=8, base 10000): <RoPE(q,m), RoPE(k,n)> depends only on m - n",
                List.of("m", "n", "m-n", "<R_m q, R_n k>", "seed dot_val", "<q, R_(n-m) k>", "seed ro_dot_val"),
                rows,
                "The survey's ro_dot_val column is <q, R_(m-n) k>, which equals the dot product at n - m, not m - n"
                        + " (its own numbers show it); the identity is <R_m q, R_n k> = <q, R_(n-m) k>.");
    }

    public static CheckResult relativityMatchesSurvey(RotarySubject kernel, RotaryFrequencies f) {
        float[] q = surveyVector(0);
        float[] k = surveyVector(HEAD_DIM);
        double worst = 0;
        for (double[] row : SURVEY_RELATIVITY) {
            long m = (long) row[0];
            long n = (long) row[1];
            worst = Math.max(worst, Math.abs(Pairs.dot(kernel.rotated(f, q, m), kernel.rotated(f, k, n)) - row[2]));
            worst = Math.max(worst, Math.abs(relativeDot(kernel, f, q, k, n - m) - row[2]));
        }
        return Threshold.atMost(DOT_TOL).judge("rope-relativity-table",
                "the survey's relativity table: max |dot - the survey's dot_val| over its 8 rows, for <R_m q, R_n k> and"
                        + " <q, R_(n-m) k>",
                worst);
    }

    /** {@code <q, R_d k>}, with a negative {@code d} taken as {@code <R_(-d) q, k>} (positions stay >= 0). */
    static double relativeDot(RotarySubject kernel, RotaryFrequencies f, float[] q, float[] k, long d) {
        return d >= 0 ? Pairs.dot(kernel.rotated(f, q, 0), kernel.rotated(f, k, d))
                : Pairs.dot(kernel.rotated(f, q, -d), kernel.rotated(f, k, 0));
    }

    private static String pair(float a, float b) {
        return "[" + fmt("%.3f", a) + ", " + fmt("%.3f", b) + "]";
    }

    private static String fmt(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
