package dev.posenc.attention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.input.AdditiveInput;
import dev.posenc.input.SinusoidalPositions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The seeds' claim (003, "置换等变性"): attention without positions is permutation-equivariant — shuffling the
 * tokens shuffles the outputs the same way — and every positional encoding breaks that.
 */
class PermutationEquivarianceTest {
    static final int TOKENS = 24;
    static final int HIDDEN = 16;
    static final int HEADS = 2;
    static final int HEAD_DIM = 8;
    /** Equivariance holds up to float rounding of sums taken in another order. */
    static final double EQUIVARIANT_REL_TOL = 1e-5;
    /** An encoding that breaks equivariance moves some output row by far more than rounding. */
    static final double BROKEN_MIN_REL_DIFF = 1e-2;

    @Test
    void bidirectionalAttentionWithoutPositionsIsPermutationEquivariant() {
        for (long seed = 1; seed <= 5; seed++) {
            double diff = permutationDifference(AttentionEncodings.none(), 1 / Math.sqrt(HEAD_DIM), seed);
            assertTrue(diff <= EQUIVARIANT_REL_TOL, "NoPE seed " + seed + ": " + diff);
        }
    }

    @Test
    void everyEncodingBreaksPermutationEquivariance() {
        long seed = 7;
        for (EncodingFixtures.Named named : EncodingFixtures.all(HEADS, HEAD_DIM, false, seed)) {
            if (named.encodings().isNone()) {
                continue;
            }
            double diff = permutationDifference(named.encodings(), named.softmaxScale(), seed);
            assertTrue(diff >= BROKEN_MIN_REL_DIFF, named + " seed " + seed + ": " + diff);
        }
        AttentionEncodings sinusoidal = AttentionEncodings.ofInput(new AdditiveInput(SinusoidalPositions.vaswani(HIDDEN)));
        double diff = permutationDifference(sinusoidal, 1 / Math.sqrt(HEAD_DIM), seed);
        assertTrue(diff >= BROKEN_MIN_REL_DIFF, "sinusoidal input: " + diff);
    }

    /** max over rows of |attn(πx) − π attn(x)|, relative to the row norm. */
    private static double permutationDifference(AttentionEncodings encodings, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        AttentionSpec spec = new AttentionSpec(HEADS, HEADS, HEAD_DIM, false, scale);
        PositionalSelfAttention layer = new PositionalSelfAttention(spec, encodings, HIDDEN,
                EncodingFixtures.gaussian(random, HEADS * HEAD_DIM * HIDDEN),
                EncodingFixtures.gaussian(random, HEADS * HEAD_DIM * HIDDEN),
                EncodingFixtures.gaussian(random, HEADS * HEAD_DIM * HIDDEN), PositionalSelfAttention.Kernel.STREAMING);
        float[] x = EncodingFixtures.gaussian(random, TOKENS * HIDDEN);
        int[] permutation = permutation(random);
        float[] permuted = new float[x.length];
        for (int t = 0; t < TOKENS; t++) {
            System.arraycopy(x, permutation[t] * HIDDEN, permuted, t * HIDDEN, HIDDEN);
        }
        float[] out = layer.forward(x, TOKENS);
        float[] outOfPermuted = layer.forward(permuted, TOKENS);
        int width = HEADS * HEAD_DIM;
        float[] permutedOut = new float[out.length];
        for (int t = 0; t < TOKENS; t++) {
            System.arraycopy(out, permutation[t] * width, permutedOut, t * width, width);
        }
        return Outputs.maxRelativeDifference(permutedOut, outOfPermuted, HEAD_DIM);
    }

    private static int[] permutation(SplittableRandom random) {
        int[] p = new int[TOKENS];
        for (int i = 0; i < TOKENS; i++) {
            p[i] = i;
        }
        for (int i = TOKENS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
