package dev.posenc.cli.verify;

import dev.posenc.querykey.RotaryFrequencies;
import java.util.SplittableRandom;

/**
 * The articles' claims about RoPE, each measured on a {@link RotarySubject} (the build's, or a broken one in tests).
 */
public final class RopeChecks {
    /** float32 rotation: relative error of a dot product or norm stays a few ulps of 1 (2^-23 = 1.2e-7). */
    static final double FLOAT_REL_TOL = 1e-5;
    /** RoFormer Fig. 2 draws the bound to distance 256; the tail is the last quarter of that. */
    static final int BOUND_TAIL_FROM = 192;
    static final int BOUND_TAIL_TO = 256;
    static final double BOUND_TAIL_MAX = 0.5;
    /** Random q = k: the tail window where the mean score must have fallen below {@code RANDOM_TAIL_MAX}. */
    static final int RANDOM_TAIL_FROM = 1024;
    static final int RANDOM_TAIL_TO = 2048;
    static final double RANDOM_TAIL_MAX = 0.5;
    static final int RANDOM_DRAWS = 64;
    /** The notes after Su Jianlin (Llama 3.1): trained at 8k with base 500000; base 8000000 keeps decay to 16k untrained. */
    public static final int LLAMA_TRAINING_LENGTH = 8192;
    public static final int LLAMA_EVAL_LENGTH = 16384;
    static final int RISE_WINDOW = 512;
    static final double RISE_MIN = 0.1;
    static final double RISE_MAX = 0.02;
    private static final int CASES = 200;

    private RopeChecks() {}

    /** {@code <R_m q, R_n k>} is unchanged when both positions shift by the same amount. */
    public static CheckResult relative(RotarySubject kernel, RotaryFrequencies f, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double worst = 0;
        for (int c = 0; c < CASES; c++) {
            float[] q = gaussian(rnd, f.headDim());
            float[] k = gaussian(rnd, f.headDim());
            long m = rnd.nextLong(4096);
            long n = rnd.nextLong(4096);
            long shift = rnd.nextLong(100_000);
            double a = Pairs.dot(kernel.rotated(f, q, m), kernel.rotated(f, k, n));
            double b = Pairs.dot(kernel.rotated(f, q, m + shift), kernel.rotated(f, k, n + shift));
            double scale = f.attentionScaling() * f.attentionScaling() * Pairs.norm(q) * Pairs.norm(k);
            worst = Math.max(worst, Math.abs(a - b) / scale);
        }
        return Threshold.atMost(FLOAT_REL_TOL).judge("rope-relative",
                "RoPE's dot product depends only on m - n: max |<R_m q, R_n k> - <R_(m+s) q, R_(n+s) k>| / (|q||k|)"
                        + " over " + CASES + " random cases (d=" + f.headDim() + ", s < 1e5)",
                worst);
    }

    /** Rotation keeps norms: {@code |R_m x| = |x|} (times the attention scaling, 1 for plain RoPE). */
    public static CheckResult norm(RotarySubject kernel, RotaryFrequencies f, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double worst = 0;
        for (int c = 0; c < CASES; c++) {
            float[] x = gaussian(rnd, f.headDim());
            long m = rnd.nextLong(10_000_000);
            double before = Pairs.norm(x) * f.attentionScaling();
            double after = Pairs.norm(kernel.rotated(f, x, m));
            worst = Math.max(worst, Math.abs(after - before) / before);
        }
        return Threshold.atMost(FLOAT_REL_TOL).judge("rope-norm",
                "rotation keeps norms: max | |R_m x| - |x| | / |x| over " + CASES + " random x, m < 1e7", worst);
    }

    /**
     * RoFormer (Su et al. 2021, section 3.4.3, Fig. 2): with {@code S_j = sum_{i<j} e^{i m theta_i}}, the bound
     * {@code (1/(d/2)) sum_j |S_j|} on the attention score decays with the relative distance m. The unit
     * rotations {@code e^{i m theta_i}} are read off the kernel (it rotates the pair (1, 0)).
     *
     * @return the bound at {@code m = 0 .. maxDistance}
     */
    public static double[] roformerBound(RotarySubject kernel, RotaryFrequencies f, int maxDistance) {
        long[] distances = new long[maxDistance + 1];
        java.util.Arrays.setAll(distances, m -> m);
        return roformerBound(kernel, f, distances);
    }

    /** As {@link #roformerBound(RotarySubject, RotaryFrequencies, int)}, at the given distances only. */
    public static double[] roformerBound(RotarySubject kernel, RotaryFrequencies f, long[] distances) {
        int p = f.pairs();
        double[] ones = new double[p];
        java.util.Arrays.fill(ones, 1);
        float[] unit = Pairs.head(f, ones, new double[p]);
        double[] bound = new double[distances.length];
        for (int m = 0; m < distances.length; m++) {
            float[] u = kernel.rotated(f, unit, distances[m]);
            double re = 0;
            double im = 0;
            double sum = 0;
            for (int j = 0; j < p; j++) {
                re += u[Pairs.first(f, j)] / f.attentionScaling();
                im += u[Pairs.second(f, j)] / f.attentionScaling();
                sum += Math.hypot(re, im);
            }
            bound[m] = sum / p;
        }
        return bound;
    }

    public static CheckResult decayBound(RotarySubject kernel, RotaryFrequencies f) {
        double[] bound = roformerBound(kernel, f, BOUND_TAIL_TO);
        double tail = 0;
        for (int m = BOUND_TAIL_FROM; m <= BOUND_TAIL_TO; m++) {
            tail = Math.max(tail, bound[m] / bound[0]);
        }
        return Threshold.atMost(BOUND_TAIL_MAX).judge("rope-decay-bound",
                "the RoPE inner product decays with distance (RoFormer Fig. 2, d=" + f.headDim()
                        + "): max of the bound (1/(d/2)) sum_j |S_j| over m in [" + BOUND_TAIL_FROM + ", "
                        + BOUND_TAIL_TO + "], relative to m = 0",
                tail);
    }

    /**
     * Mean over {@value #RANDOM_DRAWS} Gaussian vectors q of {@code <R_m q, R_0 q> / |q|^2}: the score of one token
     * against itself m positions away (the notes after Su Jianlin: "for two identical word vectors, the closer, the higher").
     *
     * @return the mean score at {@code m = 0 .. maxDistance}
     */
    public static double[] randomSelfScores(RotarySubject kernel, RotaryFrequencies f, int maxDistance, long seed) {
        long[] distances = new long[maxDistance + 1];
        for (int m = 0; m <= maxDistance; m++) {
            distances[m] = m;
        }
        return randomSelfScores(kernel, f, distances, seed);
    }

    /** As {@link #randomSelfScores(RotarySubject, RotaryFrequencies, int, long)}, at the given distances only. */
    public static double[] randomSelfScores(RotarySubject kernel, RotaryFrequencies f, long[] distances, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] mean = new double[distances.length];
        for (int d = 0; d < RANDOM_DRAWS; d++) {
            float[] q = gaussian(rnd, f.headDim());
            float[] q0 = kernel.rotated(f, q, 0);
            double norm2 = Pairs.dot(q0, q0);
            for (int i = 0; i < distances.length; i++) {
                mean[i] += Pairs.dot(kernel.rotated(f, q, distances[i]), q0) / norm2 / RANDOM_DRAWS;
            }
        }
        return mean;
    }

    public static CheckResult decayRandom(RotarySubject kernel, RotaryFrequencies f, long seed) {
        double[] mean = randomSelfScores(kernel, f, RANDOM_TAIL_TO, seed);
        double tail = Double.NEGATIVE_INFINITY;
        for (int m = RANDOM_TAIL_FROM; m <= RANDOM_TAIL_TO; m++) {
            tail = Math.max(tail, mean[m] / mean[0]);
        }
        return Threshold.atMost(RANDOM_TAIL_MAX).judge("rope-decay-random",
                "the score of a random q with itself decays with distance: max over m in [" + RANDOM_TAIL_FROM + ", "
                        + RANDOM_TAIL_TO + "] of mean <R_m q, R_0 q> / |q|^2 (" + RANDOM_DRAWS + " draws, d="
                        + f.headDim() + ")",
                tail);
    }

    /**
     * The notes after Su Jianlin, Llama 3.1: with base 500000 and training length 8k, the score of a query/key pair that decays inside
     * 8k rises again beyond it.
     */
    public static CheckResult baseRisesPastTraining(RotarySubject kernel, DecayingQueryKey pair, double base) {
        double[] s = pair.scores(kernel, pair.frequencies(), LLAMA_EVAL_LENGTH, 1);
        return Threshold.atLeast(RISE_MIN).judge("rope-base-short-rises",
                "past the training length the score rises again (Llama 3.1, trained at 8k with base "
                        + Threshold.format(base) + "): largest rise of the " + RISE_WINDOW
                        + "-token window mean over [0, 16k) of a q/k fitted to decay within 8k, relative to score(0)",
                DecayingQueryKey.largestRise(s, RISE_WINDOW));
    }

    /** The notes after Su Jianlin: the same pair with the base raised (8000000), not retrained, keeps decaying to 16k. */
    public static CheckResult raisedBaseDecays(RotarySubject kernel, DecayingQueryKey pair, RotaryFrequencies raised,
                                               double raisedBase) {
        double[] s = pair.scores(kernel, raised, LLAMA_EVAL_LENGTH, 1);
        return Threshold.atMost(RISE_MAX).judge("rope-base-raised-decays",
                "raising the base restores long-range decay past the training length (base "
                        + Threshold.format(raisedBase) + ", untrained): largest rise of the " + RISE_WINDOW
                        + "-token window mean over [0, 16k) of the same q/k, relative to score(0)",
                DecayingQueryKey.largestRise(s, RISE_WINDOW));
    }

    static float[] gaussian(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        return x;
    }
}
