package dev.posenc.cli.verify;

import java.util.SplittableRandom;

/** The RoPE blog post, the RoPE notes and the survey: attention without positions cannot tell orders apart; with positions it can. */
public final class AttentionChecks {
    public static final int SEQUENCE = 16;
    public static final int MODEL_DIM = 32;
    /** float32 attention: permuting the input permutes the output up to summation-order rounding. */
    static final double EQUIVARIANT_MAX = 1e-5;
    /** With positions the output must differ by far more than rounding. */
    static final double BROKEN_MIN = 1e-2;

    private AttentionChecks() {}

    /**
     * {@code max |att(P x) - P att(x)| / max |att(x)|} over random permutations P and inputs x, where {@code P}
     * reorders the sequence's rows.
     */
    public static double permutationDefect(SequenceAttention attention, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double worst = 0;
        for (int c = 0; c < 8; c++) {
            float[][] x = new float[SEQUENCE][];
            for (int s = 0; s < SEQUENCE; s++) {
                x[s] = RopeChecks.gaussian(rnd, MODEL_DIM);
            }
            int[] perm = permutation(rnd, SEQUENCE);
            float[][] px = new float[SEQUENCE][];
            for (int s = 0; s < SEQUENCE; s++) {
                px[s] = x[perm[s]];
            }
            float[][] out = attention.attend(x);
            float[][] outOfPermuted = attention.attend(px);
            double scale = 0;
            double diff = 0;
            for (int s = 0; s < SEQUENCE; s++) {
                for (int d = 0; d < MODEL_DIM; d++) {
                    scale = Math.max(scale, Math.abs(out[s][d]));
                    diff = Math.max(diff, Math.abs(outOfPermuted[s][d] - out[perm[s]][d]));
                }
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }

    public static CheckResult withoutPositions(SequenceAttention nope, long seed) {
        return Threshold.atMost(EQUIVARIANT_MAX).judge("attention-nope-equivariant",
                "attention without positions is permutation-equivariant: max |att(Px) - P att(x)| / max |att(x)|"
                        + " (bidirectional, " + SEQUENCE + " tokens, d=" + MODEL_DIM + ")",
                permutationDefect(nope, seed));
    }

    public static CheckResult withPositions(SequenceAttention rope, long seed) {
        return Threshold.atLeast(BROKEN_MIN).judge("attention-rope-order-aware",
                "with positions (RoPE on q/k) it is not: max |att(Px) - P att(x)| / max |att(x)|",
                permutationDefect(rope, seed));
    }

    private static int[] permutation(SplittableRandom rnd, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        if (java.util.Arrays.equals(p, java.util.stream.IntStream.range(0, n).toArray())) {
            int t = p[0];
            p[0] = p[1];
            p[1] = t;
        }
        return p;
    }
}
