package dev.posenc.attention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.logits.AttentionPositions;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearAttentionTest {
    /** Running sums in double against pair-by-pair sums in double, both rounded to float at the end. */
    static final double LINEAR_REL_TOL = 1e-5;
    /** An encoding changes the output by far more than rounding ({@link #LINEAR_REL_TOL}). */
    static final double ENCODING_MIN_REL_DIFF = 1e-3;

    /**
     * A position-dependent transformation of queries and keys besides RoPE: each vector scaled by
     * {@code 1 + pos/100}, queries and keys alike, so the numerator depends on both positions.
     */
    private static final QueryKeyEncoding POSITION_SCALE = new QueryKeyEncoding() {
        @Override
        public void encodeQueries(float[] queries, int tokens, int numHeads, int headDim, int firstPosition) {
            scale(queries, tokens, numHeads * headDim, firstPosition);
        }

        @Override
        public void encodeKeys(float[] keys, int tokens, int numHeads, int headDim, int firstPosition) {
            scale(keys, tokens, numHeads * headDim, firstPosition);
        }

        private void scale(float[] x, int tokens, int width, int first) {
            for (int t = 0; t < tokens; t++) {
                for (int c = 0; c < width; c++) {
                    x[t * width + c] *= 1 + (first + t) / 100f;
                }
            }
        }
    };

    @Test
    void runningSumsEqualTheDefinitionWithAndWithoutANumeratorEncoding() {
        long seed = 11;
        QueryKeyEncoding rope = EncodingFixtures.rope(8, dev.posenc.querykey.RopeLayout.HALF);
        for (boolean causal : new boolean[] {true, false}) {
            for (QueryKeyEncoding encoding : new QueryKeyEncoding[] {null, POSITION_SCALE, rope}) {
                SplittableRandom random = new SplittableRandom(seed++);
                AttentionSpec spec = AttentionSpec.of(4, 2, 8, causal);
                AttentionPositions positions = causal ? new AttentionPositions(20, 30, 10) : AttentionPositions.selfAttention(25);
                AttentionInputs inputs = new AttentionInputs(
                        EncodingFixtures.gaussian(random, positions.queryLength() * 4 * 8),
                        EncodingFixtures.gaussian(random, positions.keyLength() * 2 * 8),
                        EncodingFixtures.gaussian(random, positions.keyLength() * 2 * 8), positions);
                LinearAttention attention = new LinearAttention(spec, encoding);
                Outputs.assertClose(attention.attendDirect(inputs), attention.attend(inputs), 8, LINEAR_REL_TOL,
                        "causal=" + causal + " encoding=" + encoding + " seed " + (seed - 1));
                if (encoding != null) {
                    float[] plain = new LinearAttention(spec, null).attend(inputs);
                    assertTrue(Outputs.maxRelativeDifference(plain, attention.attend(inputs), 8) > ENCODING_MIN_REL_DIFF,
                            "the encoding changes the numerator");
                }
            }
        }
    }

    /**
     * RoFormer eq. 19 with RoPE: the numerator's weight of a pair depends on the distance only, so shifting the
     * queries and the keys by the same number of positions leaves a bidirectional output unchanged; the plain
     * denominator does not see positions at all.
     */
    @Test
    void withRopeTheOutputIsInvariantUnderAShiftOfAllPositions() {
        SplittableRandom random = new SplittableRandom(23);
        AttentionSpec spec = AttentionSpec.of(2, 2, 8, false);
        int length = 16;
        float[] q = EncodingFixtures.gaussian(random, length * 2 * 8);
        float[] k = EncodingFixtures.gaussian(random, length * 2 * 8);
        float[] v = EncodingFixtures.gaussian(random, length * 2 * 8);
        QueryKeyEncoding rope = EncodingFixtures.rope(8, dev.posenc.querykey.RopeLayout.HALF);
        QueryKeyEncoding shifted = new QueryKeyEncoding() {
            @Override
            public void encodeQueries(float[] queries, int tokens, int numHeads, int headDim, int firstPosition) {
                rope.encodeQueries(queries, tokens, numHeads, headDim, firstPosition + 100);
            }

            @Override
            public void encodeKeys(float[] keys, int tokens, int numHeads, int headDim, int firstPosition) {
                rope.encodeKeys(keys, tokens, numHeads, headDim, firstPosition + 100);
            }
        };
        AttentionInputs inputs = AttentionInputs.selfAttention(q, k, v, length);
        Outputs.assertClose(new LinearAttention(spec, rope).attend(inputs),
                new LinearAttention(spec, shifted).attend(inputs), 8, LINEAR_REL_TOL, "shift by 100, seed 23");
    }
}
