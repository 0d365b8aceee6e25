package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

/**
 * {@link ExactRowRecurrence} produces {@link RotaryPrecision#EXACT}'s rows <b>bit for bit</b>: runs of consecutive
 * positions longer than the anchor interval, jumps, positions up to {@code 2^31 - 1}, every frequency range of the
 * random cases, attention scaling; and the recomputation near rounding midpoints is exercised.
 */
class ExactRowRecurrenceTest {
    static java.util.stream.Stream<RopeKernel> kernels() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(RopeKernel.scalar()),
                RopeKernel.vector().stream());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("kernels")
    void rowsEqualExactRows(RopeKernel kernel) {
        SplittableRandom r = new SplittableRandom(0xEC5AL);
        long recomputed = 0;
        long values = 0;
        for (int c = 0; c < 24; c++) {
            int rotaryDim = 2 * (1 + r.nextInt(64));
            double scaling = r.nextInt(3) == 0 ? 1 + r.nextDouble() : 1.0;
            RotaryFrequencies f = new RotaryFrequencies(rotaryDim, rotaryDim, RopeLayout.HALF,
                    TestFrequencies.invFreq(rotaryDim, new double[] {1e4, 5e5, 1e6, 10}[r.nextInt(4)]), scaling);
            ExactRowRecurrence recurrence = new ExactRowRecurrence(f, kernel);
            float[] expected = new float[rotaryDim];
            float[] actual = new float[rotaryDim + 3];
            int p = c % 3 == 0 ? Integer.MAX_VALUE - 3 * ExactRowRecurrence.ANCHOR_INTERVAL : r.nextInt(c % 3 == 1 ? 5000 : 20_000_000);
            for (int t = 0; t < 3 * ExactRowRecurrence.ANCHOR_INTERVAL; t++) {
                if (r.nextInt(2 * ExactRowRecurrence.ANCHOR_INTERVAL) == 0) {
                    p = r.nextInt(Integer.MAX_VALUE - 3 * ExactRowRecurrence.ANCHOR_INTERVAL);
                }
                RotaryPrecision.EXACT.cosSin(f, p, expected, 0);
                recurrence.row(p, actual, 3);
                assertArrayEquals(RopePropertyTest.bits(expected),
                        RopePropertyTest.bits(java.util.Arrays.copyOfRange(actual, 3, 3 + rotaryDim)),
                        "case " + c + " position " + p);
                values += rotaryDim;
                p++;
            }
            recomputed += recurrence.recomputed();
        }
        // about one value in 2^15 lies within the guard of a midpoint: the recomputation ran
        assertTrue(recomputed > 0, "no row was recomputed among " + values + " values");
    }

    /** Frequencies far above 1 (EXACT reduces them exactly, see RotaryPrecisionTest): the same bits. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("kernels")
    void hugeFrequenciesGiveExactRowsToo(RopeKernel kernel) {
        float[] inv = {1.5f, 1e10f, 3.0e29f, 1e38f, Float.MAX_VALUE, Float.MIN_VALUE};
        RotaryFrequencies f = new RotaryFrequencies(2 * inv.length, 2 * inv.length, RopeLayout.HALF, inv, 1.0);
        ExactRowRecurrence recurrence = new ExactRowRecurrence(f, kernel);
        float[] expected = new float[2 * inv.length];
        float[] actual = new float[2 * inv.length];
        for (int start : new int[] {0, 1 << 20, Integer.MAX_VALUE - 200}) {
            for (int p = start; p < start + 200; p++) {
                RotaryPrecision.EXACT.cosSin(f, p, expected, 0);
                recurrence.row(p, actual, 0);
                assertArrayEquals(RopePropertyTest.bits(expected), RopePropertyTest.bits(actual), "position " + p);
            }
        }
    }
}
