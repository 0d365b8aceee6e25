package dev.posenc.cli.plot;

import dev.posenc.cli.verify.Build;
import dev.posenc.cli.verify.Build.Labeled;
import dev.posenc.cli.verify.DecayingQueryKey;
import dev.posenc.cli.verify.RopeChecks;
import dev.posenc.cli.verify.ArticleClaims;
import dev.posenc.cli.verify.ArticleTables;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RotaryFrequencies;
import java.awt.Font;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.TextAnchor;

/** Pictures of RoPE, each computed by the build's kernel and frequencies. */
final class RopePlots {
    static final int HEAD_DIM = 128;
    static final double[] DECAY_BASES = {500, 10_000, 500_000};
    static final int DECAY_HORIZON = 16_384;
    /** The scaling picture: a Llama-2-like head trained at 4k with base 10000, extended 4x. */
    static final int SCALING_TRAINED = 4096;
    static final double SCALING_FACTOR = 4;
    static final double SCALING_THETA = 10_000;
    private static final long SEED = 42;

    private RopePlots() {}

    /** Log-spaced distances 0, 1, 2, ... up to {@code horizon} (about 40 per decade). */
    static int[] logDistances(int horizon) {
        java.util.TreeSet<Integer> m = new java.util.TreeSet<>();
        for (double x = 1; x <= horizon; x *= 1.06) {
            m.add((int) Math.round(x));
        }
        return m.stream().mapToInt(Integer::intValue).toArray();
    }

    static Figure decay(Build build) {
        Charts.Lines bound = Charts.lines("RoPE long-range decay (d = 128)", "relative distance m (log scale)",
                "RoFormer bound (1/(d/2)) Σ|S_j|").logX();
        Charts.Lines random = Charts.lines("", "relative distance m (log scale)",
                "random q = k: <R_m q, R_0 q> / |q|²").logX().sharesLegend();
        int[] ms = logDistances(DECAY_HORIZON);
        for (double base : DECAY_BASES) {
            RotaryFrequencies f = build.defaultFrequencies(HEAD_DIM, base, RopeLayout.HALF);
            double[] b = RopeChecks.roformerBound(build.rotaryKernel(), f, DECAY_HORIZON);
            double[] x = new double[ms.length];
            double[] yb = new double[ms.length];
            for (int i = 0; i < ms.length; i++) {
                x[i] = ms[i];
                yb[i] = b[ms[i]];
            }
            bound.series("base " + label(base), x, yb);
            random.series("base " + label(base) + " (random q = k)", x, logBinned(build, f, ms));
        }
        random.yMarker(0, "");
        return new Figure("decay", "Top: RoFormer's relative upper bound on the attention score (their Fig. 2 is"
                + " base 10000 up to 256). Bottom: the score of a random vector with itself m positions away, mean of "
                + "64 draws, averaged over ±3 % of m. Both decay; larger bases decay later.",
                Charts.stacked(bound, random), 820, 640);
    }

    /** The random q = k score around each distance, averaged over 16 distances within 3 %. */
    private static double[] logBinned(Build build, RotaryFrequencies f, int[] ms) {
        int samples = 16;
        long[] distances = new long[ms.length * samples];
        for (int i = 0; i < ms.length; i++) {
            for (int s = 0; s < samples; s++) {
                double t = ms[i] * (0.97 + 0.06 * s / (samples - 1));
                distances[i * samples + s] = Math.round(t);
            }
        }
        double[] scores = RopeChecks.randomSelfScores(build.rotaryKernel(), f, distances, SEED);
        double[] y = new double[ms.length];
        for (int i = 0; i < ms.length; i++) {
            for (int s = 0; s < samples; s++) {
                y[i] += scores[i * samples + s] / samples;
            }
        }
        return y;
    }

    static Figure baseDecay(Build build) {
        RotaryFrequencies trained = build.defaultFrequencies(HEAD_DIM, ArticleClaims.LLAMA_THETA, RopeLayout.HALF);
        RotaryFrequencies raised = build.defaultFrequencies(HEAD_DIM, ArticleClaims.RAISED_THETA, RopeLayout.HALF);
        DecayingQueryKey pair = DecayingQueryKey.fit(build.rotaryKernel(), trained, RopeChecks.LLAMA_TRAINING_LENGTH);
        int horizon = 4 * RopeChecks.LLAMA_TRAINING_LENGTH;
        Charts.Lines chart = Charts.lines("Raising the base restores decay past 8k (Llama 3.1)",
                "relative distance (tokens)", "attention score <R_m q, R_0 k>");
        addSmoothed(chart, "base 500000 (trained at 8k)", pair.scores(build.rotaryKernel(), trained, horizon, 1), 512);
        addSmoothed(chart, "base 8000000 (same q, k; not retrained)",
                pair.scores(build.rotaryKernel(), raised, horizon, 1), 512);
        chart.xMarker(RopeChecks.LLAMA_TRAINING_LENGTH, "training length 8k");
        chart.xMarker(RopeChecks.LLAMA_EVAL_LENGTH, "16k");
        chart.yMarker(0, "");
        return new Figure("base-decay", "A query/key pair fitted so its score decays within 8k under base 500000"
                + " (a stand-in for trained weights; 512-token moving average). Past 8k the score rises again;"
                + " with base 8000000 and the same q, k it keeps decaying to 16k and beyond, as the notes after Su Jianlin show for"
                + " Llama 3.1.", chart.build(), 820, 460);
    }

    static Figure scaling(Build build) {
        RotaryFrequencies trained = build.defaultFrequencies(HEAD_DIM, SCALING_THETA, RopeLayout.HALF);
        DecayingQueryKey pair = DecayingQueryKey.fit(build.rotaryKernel(), trained, SCALING_TRAINED);
        int horizon = (int) (SCALING_FACTOR * SCALING_TRAINED) * 2;
        Charts.Lines chart = Charts.lines("Attention score past the training length, per scaling method",
                "relative distance (tokens)", "attention score <R_m q, R_0 k>");
        addSmoothed(chart, "none (trained frequencies)", pair.scores(build.rotaryKernel(), trained, horizon, 1), 256);
        List<Labeled<RotaryFrequencies>> methods = build.scalingMethods(HEAD_DIM, SCALING_THETA, SCALING_TRAINED,
                SCALING_FACTOR, (int) (SCALING_FACTOR * SCALING_TRAINED));
        for (Labeled<RotaryFrequencies> m : methods) {
            addSmoothed(chart, m.label(), pair.scores(build.rotaryKernel(), m.value(), horizon, 1), 256);
        }
        chart.xMarker(SCALING_TRAINED, "trained 4k");
        chart.xMarker(SCALING_FACTOR * SCALING_TRAINED, "extended 16k");
        chart.yMarker(0, "");
        return new Figure("scaling", "One query/key pair fitted to decay within 4k (d = 128, base 10000), scored with"
                + " the frequencies of each context-extension method for factor 4 (256-token moving average; YaRN's"
                + " attention factor included). Unscaled RoPE loses its decay past 4k; the methods keep it to 16k to"
                + " different degrees.", chart.build(), 820, 500);
    }

    static Figure clock(Build build) {
        RotaryFrequencies f = build.defaultFrequencies(HEAD_DIM, SCALING_THETA, RopeLayout.INTERLEAVED);
        int[] pairs = {0, 8, 16};
        double[] radius = {1.0, 0.8, 0.6};
        int positions = 25;
        Charts.Lines chart = Charts.lines("RoPE as a clock: one 2D pair rotated by position m",
                "first coordinate of the pair", "second coordinate of the pair").equalAspect();
        for (int k = 0; k < pairs.length; k++) {
            int j = pairs[k];
            float[] head = new float[HEAD_DIM];
            head[2 * j] = (float) radius[k];
            double[] x = new double[positions];
            double[] y = new double[positions];
            for (int m = 0; m < positions; m++) {
                float[] r = build.rotaryKernel().rotated(f, head, m);
                x[m] = r[2 * j];
                y[m] = r[2 * j + 1];
            }
            chart.series("pair " + j + ": θ = " + String.format(java.util.Locale.ROOT, "%.3g", f.invFreq(j))
                    + " rad per position, m = 0.." + (positions - 1), x, y, false, true, Charts.PALETTE[k]);
            if (k == 0) {
                chart.hideLine(0);
            }
        }
        JFreeChart built = chart.build();
        XYPlot plot = built.getXYPlot();
        float[] head = new float[HEAD_DIM];
        head[0] = 1;
        for (int m = 0; m <= 6; m++) {
            float[] r = build.rotaryKernel().rotated(f, head, m);
            XYTextAnnotation a = new XYTextAnnotation("m=" + m, r[0] * 1.08, r[1] * 1.08);
            a.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            a.setTextAnchor(TextAnchor.CENTER);
            plot.addAnnotation(a);
        }
        return new Figure("clock", "RoPE's clock: the same pair at positions 0 to 24. The fastest pair turns 1"
                + " radian per token (57°), slower pairs creep; the angle between two tokens depends only on their"
                + " distance.", built, 620, 640);
    }

    static Figure relativity(Build build) {
        RotaryFrequencies f = build.defaultFrequencies(ArticleTables.HEAD_DIM, ArticleTables.ROPE_THETA,
                RopeLayout.INTERLEAVED);
        int n = 48;
        float[] q = ArticleTables.surveyQuery();
        float[] k = ArticleTables.surveyKey();
        double[][] z = new double[n][n];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < n; m++) {
            float[] rq = build.rotaryKernel().rotated(f, q, m);
            for (int j = 0; j < n; j++) {
                z[m][j] = dot(rq, build.rotaryKernel().rotated(f, k, j));
                min = Math.min(min, z[m][j]);
                max = Math.max(max, z[m][j]);
            }
        }
        JFreeChart chart = Charts.heatmap("<RoPE(q, m), RoPE(k, n)> for the survey's q, k (d = 8)",
                "key position n", "query position m", z, 0, 1, 0, 1, ColorRamp.sequential(min, max), "dot product",
                true);
        return new Figure("relativity", "Every diagonal (fixed m − n) has one colour: the dot product depends only on"
                + " the distance, as the survey's relativity table says.", chart, 640, 560, true);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Adds the moving average of {@code scores} over {@code window} tokens, one point per {@code window / 8}. */
    private static void addSmoothed(Charts.Lines chart, String label, double[] scores, int window) {
        int every = window / 8;
        int n = (scores.length - window) / every + 1;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            int from = i * every;
            double s = 0;
            for (int t = from; t < from + window; t++) {
                s += scores[t];
            }
            x[i] = from + window / 2.0;
            y[i] = s / window;
        }
        chart.series(label, x, y);
    }

    static String label(double base) {
        return base >= 1e6 && base % 1e6 == 0 ? (long) (base / 1e6) + "M" : Long.toString((long) base);
    }
}
