package dev.posenc.cli.verify;

import static dev.posenc.cli.verify.RopeChecksTest.assertFails;
import static dev.posenc.cli.verify.RopeChecksTest.assertPasses;

import org.junit.jupiter.api.Test;

/** The absolute, logit and attention checks pass on correct subjects and fail on deliberately broken ones. */
class OtherChecksTest {
    private static final long SEED = 7L;

    @Test
    void sinusoidalLinear() {
        assertPasses(AbsoluteChecks.sinusoidalLinear(Textbook::sinusoidal, SEED));
        // Binary position code (the "Positional Encoding" article's "binary encoding"): not a linear function of the previous position.
        SinusoidalTable binary = (n, d) -> {
            double[][] t = new double[n][d];
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < d; i++) {
                    t[p][i] = (p >> (i % 31)) & 1;
                }
            }
            return t;
        };
        assertFails(AbsoluteChecks.sinusoidalLinear(binary, SEED));
        // Angles quadratic in the position: sinusoids, but not shift-equivariant.
        SinusoidalTable chirp = (n, d) -> {
            double[][] t = new double[n][d];
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < d / 2; i++) {
                    double w = Math.pow(10000, -2.0 * i / d);
                    t[p][2 * i] = Math.sin(p * (double) p * w * 1e-3);
                    t[p][2 * i + 1] = Math.cos(p * (double) p * w * 1e-3);
                }
            }
            return t;
        };
        assertFails(AbsoluteChecks.sinusoidalLinear(chirp, SEED));
    }

    @Test
    void wavelengths() {
        assertPasses(AbsoluteChecks.shortestWavelength(Textbook::sinusoidal));
        assertPasses(AbsoluteChecks.longestWavelength(Textbook::sinusoidal));
        assertPasses(AbsoluteChecks.geometricWavelengths(Textbook::sinusoidal));
        // A classic bug: exponent i/d instead of 2i/d (dimension index instead of pair index).
        SinusoidalTable halfExponent = (n, d) -> {
            double[][] t = new double[n][d];
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < d / 2; i++) {
                    double w = Math.pow(10000, -1.0 * i / d);
                    t[p][2 * i] = Math.sin(p * w);
                    t[p][2 * i + 1] = Math.cos(p * w);
                }
            }
            return t;
        };
        assertFails(AbsoluteChecks.longestWavelength(halfExponent));
        // Base 1000: shortest still 2 pi, longest far too short.
        SinusoidalTable base1000 = (n, d) -> {
            double[][] t = new double[n][d];
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < d / 2; i++) {
                    double w = Math.pow(1000, -2.0 * i / d);
                    t[p][2 * i] = Math.sin(p * w);
                    t[p][2 * i + 1] = Math.cos(p * w);
                }
            }
            return t;
        };
        assertPasses(AbsoluteChecks.shortestWavelength(base1000));
        assertFails(AbsoluteChecks.longestWavelength(base1000));
        // Frequencies halved: every wavelength doubles, the shortest is 4 pi.
        SinusoidalTable slow = (n, d) -> {
            double[][] t = new double[n][d];
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < d / 2; i++) {
                    double w = 0.5 * Math.pow(10000, -2.0 * i / d);
                    t[p][2 * i] = Math.sin(p * w);
                    t[p][2 * i + 1] = Math.cos(p * w);
                }
            }
            return t;
        };
        assertFails(AbsoluteChecks.shortestWavelength(slow));
        // Linear instead of geometric frequencies.
        SinusoidalTable linear = (n, d) -> {
            double[][] t = new double[n][d];
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < d / 2; i++) {
                    double w = 1 - i / (d / 2.0);
                    t[p][2 * i] = Math.sin(p * w);
                    t[p][2 * i + 1] = Math.cos(p * w);
                }
            }
            return t;
        };
        assertFails(AbsoluteChecks.geometricWavelengths(linear));
    }

    @Test
    void learnedBounded() {
        int length = 64;
        assertPasses(AbsoluteChecks.learnedBounded(table(length, p -> {
            if (p >= length) {
                throw new IllegalArgumentException("position " + p + " >= " + length);
            }
        })));
        // Clamps to the last row instead of refusing: goes past its length silently.
        assertFails(AbsoluteChecks.learnedBounded(table(length, p -> { })));
        // Refuses too early (off by one).
        assertFails(AbsoluteChecks.learnedBounded(table(length, p -> {
            if (p >= length - 1) {
                throw new IllegalArgumentException("position " + p);
            }
        })));
    }

    private static LearnedTable table(int length, java.util.function.IntConsumer guard) {
        return new LearnedTable() {
            @Override
            public int length() {
                return length;
            }

            @Override
            public float[] row(int position) {
                guard.accept(position);
                return new float[4];
            }
        };
    }

    @Test
    void t5Coarser() {
        assertPasses(LogitChecks.t5Coarser(rp -> Textbook.t5Bucket(rp, 32, 128)));
        // Uniform buckets of 8 distances each: no coarsening with distance.
        assertFails(LogitChecks.t5Coarser(rp -> Math.min(rp / 8, 15)));
        // Exact for every distance: nothing shared at all.
        assertFails(LogitChecks.t5Coarser(rp -> rp));
    }

    @Test
    void alibiLinear() {
        int heads = 8;
        assertPasses(LogitChecks.alibiLinear((h, i, j) -> Textbook.alibi(h, heads, i, j), heads));
        // KERPLE-log-like: penalizes distance, but logarithmically.
        assertFails(LogitChecks.alibiLinear((h, i, j) -> -Math.log1p(i - j) / (h + 1), heads));
        // A bias that rewards distance.
        assertFails(LogitChecks.alibiLinear((h, i, j) -> -Textbook.alibi(h, heads, i, j), heads));
    }

    @Test
    void attention() {
        SequenceAttention nope = x -> selfAttention(x, false);
        SequenceAttention rope = x -> selfAttention(x, true);
        assertPasses(AttentionChecks.withoutPositions(nope, SEED));
        assertPasses(AttentionChecks.withPositions(rope, SEED));
        assertFails(AttentionChecks.withoutPositions(rope, SEED));
        assertFails(AttentionChecks.withPositions(nope, SEED));
    }

    /** Single-head self-attention with q = k = v = x, optionally rotating q and k by their position. */
    static float[][] selfAttention(float[][] x, boolean rotate) {
        int s = x.length;
        int d = x[0].length;
        var f = Textbook.frequencies(d, 10000, dev.posenc.querykey.RopeLayout.HALF);
        float[][] qk = new float[s][];
        for (int i = 0; i < s; i++) {
            qk[i] = rotate ? Textbook.ROPE.rotated(f, x[i], i) : x[i];
        }
        float[][] out = new float[s][d];
        for (int i = 0; i < s; i++) {
            double[] w = new double[s];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < s; j++) {
                w[j] = Pairs.dot(qk[i], qk[j]) / Math.sqrt(d);
                max = Math.max(max, w[j]);
            }
            double sum = 0;
            for (int j = 0; j < s; j++) {
                w[j] = Math.exp(w[j] - max);
                sum += w[j];
            }
            for (int j = 0; j < s; j++) {
                for (int c = 0; c < d; c++) {
                    out[i][c] += (float) (w[j] / sum * x[j][c]);
                }
            }
        }
        return out;
    }
}
