package dev.posenc.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InputEncodingsTest {
    /**
     * RK4 with 64 steps per position over 200 positions, ω up to 1 rad/position: phase error about
     * t·ω·(ωΔ)⁴/120 ≈ 1e-7, plus float32 rounding of the table.
     */
    static final double RK4_ABS_TOL = 5e-7;
    /** float32 products and sums of numbers of order 1. */
    static final double FLOAT_ABS_TOL = 1e-6;
    /** Complex-order identity in double precision. */
    static final double COMPLEX_ABS_TOL = 1e-9;

    @Test
    void learnedTableErrsBeyondItsLengthNamingThePositionAndTheLength() {
        LearnedPositions table = new LearnedPositions(4, 2, new float[] {0, 1, 2, 3, 4, 5, 6, 7});
        assertArrayEquals(new float[] {4, 5, 6, 7}, table.table(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.table(3, 2));
        assertTrue(e.getMessage().contains("position 4") && e.getMessage().contains("4 positions"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void additiveAndMultiplicativeCombineEmbeddingsWithTheTable() {
        SinusoidalPositions pe = SinusoidalPositions.vaswani(4);
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] table = pe.table(5, 2);
        float[] added = x.clone();
        new AdditiveInput(pe).encode(added, 2, 5);
        float[] multiplied = x.clone();
        new MultiplicativeInput(pe).encode(multiplied, 2, 5);
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] + table[i], added[i], FLOAT_ABS_TOL);
            assertEquals(x[i] * table[i], multiplied[i], FLOAT_ABS_TOL);
        }
        assertThrows(IllegalArgumentException.class, () -> new AdditiveInput(pe).encode(new float[7], 2, 0));
    }

    @Test
    void recurrentRotationDynamicsReproduceTheSinusoidalEncoding() {
        for (SinusoidLayout layout : SinusoidLayout.values()) {
            SinusoidalPositions sinusoid = new SinusoidalPositions(16, 10000, layout);
            RecurrentPositions floater = RecurrentPositions.ofSinusoid(sinusoid, 64);
            float[] expected = sinusoid.table(190, 10);
            float[] actual = floater.table(190, 10);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], RK4_ABS_TOL, layout + " entry " + i);
            }
        }
    }

    @Test
    void recurrentPositionsUseThePluggedDynamics() {
        PositionDynamics growth = (t, p, dpdt) -> dpdt[0] = p[0];
        RecurrentPositions exp = new RecurrentPositions(new double[] {1}, growth, 32);
        float[] table = exp.table(0, 4);
        for (int p = 0; p < 4; p++) {
            assertEquals(Math.exp(p), table[p], 1e-5 * Math.exp(p), "e^" + p);
        }
    }

    @Test
    void complexOrderShiftIsARotationIndependentOfThePosition() {
        SplittableRandom random = new SplittableRandom(31);
        int vocab = 5;
        int dim = 6;
        float[] r = new float[vocab * dim];
        float[] w = new float[vocab * dim];
        float[] theta = new float[vocab * dim];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) random.nextDouble(0.1, 2);
            w[i] = (float) random.nextDouble(-1, 1);
            theta[i] = (float) random.nextDouble(-Math.PI, Math.PI);
        }
        ComplexOrderEmbedding embedding = new ComplexOrderEmbedding(vocab, dim, r, w, theta);
        for (int trial = 0; trial < 200; trial++) {
            int word = random.nextInt(vocab);
            int pos = random.nextInt(1000);
            int n = random.nextInt(-50, 50);
            double[] at = embedding.embed(word, pos);
            double[] shifted = embedding.embed(word, pos + n);
            for (int k = 0; k < dim; k++) {
                double omegaN = w[word * dim + k] * (double) n;
                double re = at[k] * Math.cos(omegaN) - at[dim + k] * Math.sin(omegaN);
                double im = at[k] * Math.sin(omegaN) + at[dim + k] * Math.cos(omegaN);
                String where = "seed 31 trial " + trial + " k " + k;
                assertEquals(re, shifted[k], COMPLEX_ABS_TOL, where);
                assertEquals(im, shifted[dim + k], COMPLEX_ABS_TOL, where);
            }
        }
        float[] sequence = embedding.embed(new int[] {2, 4}, 10);
        assertEquals((float) embedding.embed(4, 11)[3], sequence[2 * dim + 3]);
    }
}
