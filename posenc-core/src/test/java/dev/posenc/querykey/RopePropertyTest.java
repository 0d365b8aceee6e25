package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Properties of RoPE that hold for any frequencies, checked over seeded random cases (the seed is in every failure
 * message): relative position, norm preservation, the layout permutation, decoding = prefill, and the partial
 * rotary pass-through. Kernel equality is {@link KernelEqualityTest}.
 */
class RopePropertyTest {
    private static final long SEED = 0x5EED_2024L;
    private static final int CASES = 400;

    /**
     * {@code ⟨R_m q, R_n k⟩ = ⟨q, R_(n-m) k⟩}, relative to {@code |q| |k|}: each rotated float is within about two
     * ulps of its exact value (cos/sin rounded once, two products and a sum), so each side is within
     * {@code ~2^-22 |q||k|} of the exact dot product; twice that, with margin.
     */
    private static final double DOT_REL_TOL = 0x1p-20;

    /** {@code |R_m x| = |x|} (attention_scaling 1), relative: the same two-ulp bound per element. */
    private static final double NORM_REL_TOL = 0x1p-21;

    @Test
    void attentionDependsOnlyOnRelativePosition() {
        SplittableRandom seeds = new SplittableRandom(SEED);
        for (int c = 0; c < CASES; c++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            int headDim = 2 * (1 + r.nextInt(64));
            int rotaryDim = 2 * (1 + r.nextInt(headDim / 2));
            RopeLayout layout = r.nextBoolean() ? RopeLayout.HALF : RopeLayout.INTERLEAVED;
            RotaryFrequencies f = TestFrequencies.defaults(headDim, rotaryDim, layout, r.nextBoolean() ? 1e4 : 5e5);
            RotaryEmbedding rope = RotaryEmbedding.of(CosSinOnTheFly.of(f));
            float[] q = random(r, headDim);
            float[] k = random(r, headDim);
            int m = r.nextInt(r.nextBoolean() ? 100 : 10_000_000);
            int n = r.nextInt(r.nextBoolean() ? 100 : 10_000_000);

            double lhs = dot(rotated(rope, m, q), rotated(rope, n, k));
            double rhs = n >= m ? dot(q, rotated(rope, n - m, k)) : dot(rotated(rope, m - n, q), k);
            double scale = Math.sqrt(dot(q, q) * dot(k, k));
            assertEquals(rhs, lhs, DOT_REL_TOL * scale,
                    "seed=" + seed + " " + layout + " head_dim=" + headDim + " rotary_dim=" + rotaryDim
                            + " m=" + m + " n=" + n);
        }
    }

    @Test
    void rotationPreservesNorms() {
        SplittableRandom seeds = new SplittableRandom(SEED + 1);
        for (int c = 0; c < CASES; c++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            int headDim = 2 * (1 + r.nextInt(64));
            int rotaryDim = 2 * (1 + r.nextInt(headDim / 2));
            RopeLayout layout = r.nextBoolean() ? RopeLayout.HALF : RopeLayout.INTERLEAVED;
            RotaryFrequencies f = TestFrequencies.defaults(headDim, rotaryDim, layout, 1e4);
            int heads = 1 + r.nextInt(4);
            int tokens = 1 + r.nextInt(8);
            float[] x = random(r, heads * tokens * headDim);
            float[] y = x.clone();
            int start = r.nextInt(20_000_000);
            RotaryEmbedding.of(CosSinOnTheFly.of(f))
                    .applyToQueries(RopePositions.startingAt(start), tokens, y, HeadStrides.tokenMajor(heads, headDim));
            for (int h = 0; h < heads * tokens; h++) {
                double before = 0;
                double after = 0;
                for (int j = 0; j < headDim; j++) {
                    before += (double) x[h * headDim + j] * x[h * headDim + j];
                    after += (double) y[h * headDim + j] * y[h * headDim + j];
                }
                assertEquals(Math.sqrt(before), Math.sqrt(after), NORM_REL_TOL * Math.sqrt(before),
                        "seed=" + seed + " head " + h);
            }
        }
    }

    /**
     * rope-variants.md §3: with {@code perm = [0, p, 1, p+1, ..]} on the rotated prefix,
     * {@code interleaved(x[perm]) == half(x)[perm]}, bit for bit (the same products of the same numbers).
     */
    @Test
    void interleavedAndHalfLayoutsAgreeUnderTheColumnPermutation() {
        SplittableRandom seeds = new SplittableRandom(SEED + 2);
        for (int c = 0; c < CASES; c++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            int headDim = 2 * (1 + r.nextInt(64));
            int rotaryDim = 2 * (1 + r.nextInt(headDim / 2));
            float[] inv = TestFrequencies.invFreq(rotaryDim, 1e4);
            RotaryFrequencies half = new RotaryFrequencies(headDim, rotaryDim, RopeLayout.HALF, inv, 1.0);
            RotaryFrequencies interleaved = new RotaryFrequencies(headDim, rotaryDim, RopeLayout.INTERLEAVED, inv, 1.0);
            int tokens = 1 + r.nextInt(6);
            int heads = 1 + r.nextInt(3);
            int start = r.nextInt(1_000_000);
            float[] x = random(r, tokens * heads * headDim);
            int[] perm = halfToInterleaved(headDim, rotaryDim);

            float[] viaHalf = x.clone();
            RotaryEmbedding.of(CosSinOnTheFly.of(half)).applyToKeys(RopePositions.startingAt(start), tokens, viaHalf,
                    HeadStrides.tokenMajor(heads, headDim));
            float[] viaInterleaved = permuteHeads(x, perm, headDim);
            RotaryEmbedding.of(CosSinOnTheFly.of(interleaved)).applyToKeys(RopePositions.startingAt(start), tokens,
                    viaInterleaved, HeadStrides.tokenMajor(heads, headDim));

            assertArrayEquals(bits(permuteHeads(viaHalf, perm, headDim)), bits(viaInterleaved), "seed=" + seed);
        }
    }

    /** Decoding token by token at {@code startingAt(n + t)} gives the bits of one prefill call, and explicit positions too. */
    @Test
    void decodingStepByStepEqualsOnePrefillCall() {
        SplittableRandom seeds = new SplittableRandom(SEED + 3);
        for (int c = 0; c < 100; c++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            int headDim = 2 * (1 + r.nextInt(64));
            RopeLayout layout = r.nextBoolean() ? RopeLayout.HALF : RopeLayout.INTERLEAVED;
            RotaryFrequencies f = TestFrequencies.defaults(headDim, headDim, layout, 1e4);
            int kvHeads = 1 + r.nextInt(3);
            int heads = kvHeads * (1 + r.nextInt(4));
            int tokens = 1 + r.nextInt(12);
            int past = r.nextInt(1000);
            RotaryEmbedding rope = RotaryEmbedding.of(CosSinCache.of(f, 0, 2048));
            float[] q = random(r, tokens * heads * headDim);
            float[] k = random(r, tokens * kvHeads * headDim);

            float[] qPrefill = q.clone();
            float[] kPrefill = k.clone();
            rope.apply(RopePositions.startingAt(past), tokens, qPrefill, HeadStrides.tokenMajor(heads, headDim),
                    kPrefill, HeadStrides.tokenMajor(kvHeads, headDim));

            float[] qSteps = q.clone();
            float[] kSteps = k.clone();
            for (int t = 0; t < tokens; t++) {
                rope.apply(RopePositions.startingAt(past + t), 1,
                        qSteps, HeadStrides.tokenMajor(heads, headDim).withOffset((long) t * heads * headDim),
                        kSteps, HeadStrides.tokenMajor(kvHeads, headDim).withOffset((long) t * kvHeads * headDim));
            }
            int[] explicit = new int[tokens];
            for (int t = 0; t < tokens; t++) {
                explicit[t] = past + t;
            }
            float[] qExplicit = q.clone();
            float[] kExplicit = k.clone();
            rope.apply(RopePositions.of(explicit), tokens, qExplicit, HeadStrides.tokenMajor(heads, headDim),
                    kExplicit, HeadStrides.tokenMajor(kvHeads, headDim));

            assertArrayEquals(bits(qPrefill), bits(qSteps), "seed=" + seed);
            assertArrayEquals(bits(kPrefill), bits(kSteps), "seed=" + seed);
            assertArrayEquals(bits(qPrefill), bits(qExplicit), "seed=" + seed);
            assertArrayEquals(bits(kPrefill), bits(kExplicit), "seed=" + seed);
        }
    }

    /** Columns {@code [rotary_dim, head_dim)} and everything outside the heads keep their bits. */
    @Test
    void onlyTheRotatedPrefixOfEachHeadChanges() {
        SplittableRandom seeds = new SplittableRandom(SEED + 4);
        for (int c = 0; c < CASES; c++) {
            RandomRopeCase rc = RandomRopeCase.of(seeds.nextLong());
            float[][] out = rc.run(rc.embedding(RopeKernel.best()));
            boolean[] rotated = new boolean[rc.query.length];
            mark(rotated, rc.queryStrides, rc.tokens, rc.frequencies.rotaryDim());
            if (rc.fused) {
                mark(rotated, rc.keyStrides, rc.tokens, rc.frequencies.rotaryDim());
            } else {
                boolean[] keyRotated = new boolean[rc.key.length];
                mark(keyRotated, rc.keyStrides, rc.tokens, rc.frequencies.rotaryDim());
                assertUntouchedOutside(keyRotated, rc.key, out[1], rc + " (key)");
            }
            assertUntouchedOutside(rotated, rc.query, out[0], rc.toString());
        }
    }

    /** Multi-axis RoPE with the same position on every axis is plain RoPE (text tokens in M-RoPE), bit for bit. */
    @Test
    void multiAxisWithEqualAxesIsPlainRope() {
        SplittableRandom seeds = new SplittableRandom(SEED + 5);
        for (int c = 0; c < 100; c++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            int pairs = 2 * (1 + r.nextInt(32));
            int headDim = 2 * pairs;
            RotaryFrequencies f = TestFrequencies.defaults(headDim, headDim, RopeLayout.HALF, 1e6);
            int tokens = 1 + r.nextInt(10);
            int[] ids = new int[tokens];
            for (int t = 0; t < tokens; t++) {
                ids[t] = r.nextInt(5000);
            }
            int a = r.nextInt(pairs + 1);
            int b = r.nextInt(pairs - a + 1);
            RotaryAxes axes = switch (r.nextInt(3)) {
                case 0 -> RotaryAxes.mrope(a, b, pairs - a - b);
                case 1 -> RotaryAxes.mropeInterleaved(a, b, pairs - a - b);
                default -> RotaryAxes.rowColumn(pairs);
            };
            float[] x = random(r, tokens * 2 * headDim);
            float[] plain = x.clone();
            float[] multi = x.clone();
            RotaryEmbedding rope = RotaryEmbedding.of(CosSinCache.of(f, 0, 5000));
            rope.applyToQueries(RopePositions.of(ids), tokens, plain, HeadStrides.tokenMajor(2, headDim));
            int[][] sameOnEveryAxis = new int[axes.axes()][];
            java.util.Arrays.fill(sameOnEveryAxis, ids);
            rope.withAxes(axes).applyToQueries(RopePositions.axes(sameOnEveryAxis), tokens, multi,
                    HeadStrides.tokenMajor(2, headDim));
            assertArrayEquals(bits(plain), bits(multi), "seed=" + seed + " " + axes);
        }
    }

    /** xPos: the logit of a query at n and a key at m depends only on n - m (and not on the center). */
    @Test
    void xPosLogitsDependOnlyOnRelativePosition() {
        SplittableRandom seeds = new SplittableRandom(SEED + 6);
        for (int c = 0; c < CASES; c++) {
            long seed = seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            int headDim = 2 * (1 + r.nextInt(32));
            RotaryFrequencies f = TestFrequencies.defaults(headDim, headDim, RopeLayout.INTERLEAVED, 1e4);
            float[] q = random(r, headDim);
            float[] k = random(r, headDim);
            int m = r.nextInt(2048);
            int n = r.nextInt(2048);
            int shift = r.nextInt(2048);
            RotaryEmbedding a = RotaryEmbedding.of(CosSinOnTheFly.of(f)).withXPos(new XPos(512, r.nextInt(4096)));
            RotaryEmbedding b = RotaryEmbedding.of(CosSinOnTheFly.of(f)).withXPos(new XPos(512, r.nextInt(4096)));
            double logit = dot(rotated(a, n, q), rotatedKey(a, m, k));
            double shifted = dot(rotated(b, n + shift, q), rotatedKey(b, m + shift, k));
            double scale = 0;
            for (int i = 0; i < headDim / 2; i++) {
                double z = Math.pow(XPos.zeta(headDim, i), (double) (n - m) / 512);
                scale = Math.max(scale, z);
            }
            scale *= Math.sqrt(dot(q, q) * dot(k, k));
            assertEquals(logit, shifted, 4 * DOT_REL_TOL * scale, "seed=" + seed + " n=" + n + " m=" + m);
        }
    }

    private static void mark(boolean[] rotated, HeadStrides s, int tokens, int rotaryDim) {
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < s.heads(); h++) {
                long b = s.offset() + t * s.tokenStride() + h * s.headStride();
                for (int j = 0; j < rotaryDim; j++) {
                    rotated[(int) b + j] = true;
                }
            }
        }
    }

    private static void assertUntouchedOutside(boolean[] rotated, float[] before, float[] after, String what) {
        for (int i = 0; i < before.length; i++) {
            if (!rotated[i]) {
                assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(after[i]),
                        what + ": element " + i + " is outside the rotated prefixes but changed");
            }
        }
    }

    /** {@code perm[j]}: the half-layout column that interleaved column {@code j} holds. */
    private static int[] halfToInterleaved(int headDim, int rotaryDim) {
        int pairs = rotaryDim / 2;
        int[] perm = new int[headDim];
        for (int i = 0; i < pairs; i++) {
            perm[2 * i] = i;
            perm[2 * i + 1] = i + pairs;
        }
        for (int j = rotaryDim; j < headDim; j++) {
            perm[j] = j;
        }
        return perm;
    }

    private static float[] permuteHeads(float[] x, int[] perm, int headDim) {
        float[] y = new float[x.length];
        for (int b = 0; b < x.length; b += headDim) {
            for (int j = 0; j < headDim; j++) {
                y[b + j] = x[b + perm[j]];
            }
        }
        return y;
    }

    private static float[] rotated(RotaryEmbedding rope, int position, float[] x) {
        float[] y = x.clone();
        rope.applyToQueries(RopePositions.startingAt(position), 1, y, HeadStrides.tokenMajor(1, x.length));
        return y;
    }

    private static float[] rotatedKey(RotaryEmbedding rope, int position, float[] x) {
        float[] y = x.clone();
        rope.applyToKeys(RopePositions.startingAt(position), 1, y, HeadStrides.tokenMajor(1, x.length));
        return y;
    }

    static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-2, 2);
        }
        return x;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static int[] bits(float[] x) {
        int[] b = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            b[i] = Float.floatToRawIntBits(x[i]);
        }
        return b;
    }

    @Test
    void theRandomCasesCoverEveryFeature() {
        SplittableRandom seeds = new SplittableRandom(SEED + 4);
        boolean[] seen = new boolean[8];
        for (int c = 0; c < CASES; c++) {
            RandomRopeCase rc = RandomRopeCase.of(seeds.nextLong());
            seen[0] |= rc.frequencies.layout() == RopeLayout.INTERLEAVED;
            seen[1] |= rc.frequencies.rotaryDim() < rc.frequencies.headDim();
            seen[2] |= rc.fused;
            seen[3] |= rc.cosSin instanceof CosSinCache;
            seen[4] |= rc.axes != null;
            seen[5] |= rc.xPos != null;
            seen[6] |= rc.queryStrides.heads() > rc.keyStrides.heads();
            seen[7] |= rc.cosSin.precision() == RotaryPrecision.HF_FLOAT32;
        }
        for (int i = 0; i < seen.length; i++) {
            assertTrue(seen[i], "feature " + i + " never drawn");
        }
    }
}
