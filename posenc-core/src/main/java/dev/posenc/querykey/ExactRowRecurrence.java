package dev.posenc.querykey;

/**
 * The rows of {@link RotaryPrecision#EXACT} for runs of consecutive positions, the same bits, at a fraction of the
 * cost: {@link CosSinOnTheFly} evaluates {@code 2 * pairs} {@link StrictMath} calls per row; a prefill call's tokens
 * are consecutive, and the angle of pair {@code i} at {@code p + 1} is that at {@code p} plus {@code inv_freq[i]}.
 *
 * <h2>Implementation overview</h2>
 * Every {@value #ANCHOR_INTERVAL} positions (and at every jump) the double cos/sin of {@code p * inv_freq[i]} are
 * evaluated exactly: the product split into {@code a + e} with an FMA, then {@code cos(a + e) = cos a cos e -
 * sin a sin e} with {@link StrictMath} (each under one ulp), within {@code 2^-51} of the true values. In between,
 * each step rotates the double pair by the double cos/sin of {@code inv_freq[i]} (two products and a sum per
 * coordinate, each rounding at most {@code 2^-54} for values at most 1, plus the step's own cos/sin error under one
 * ulp each): at most {@code 4 * 2^-53 = 2^-51} per step, so at most {@code ANCHOR_INTERVAL * 2^-51 + 2^-51 < 2^-42}
 * from the true value (absolute; both are at most 1), a quarter of the guard below. (Anchors every 64 positions cost
 * about 6% of an on-the-fly call; every 256, under 2%.)
 *
 * <p>{@code EXACT}'s float is the rounding of a double within about {@code 2^-50} of the true value times
 * {@code attention_scaling}. Whenever this recurrence's scaled value lies farther than
 * {@value #GUARD_TEXT}{@code * attention_scaling} from the midpoint between its float and the next float on its side,
 * the true value, {@code EXACT}'s double and this one all round to the same float. Otherwise (about one value in
 * 2^15) the whole row is recomputed by {@code EXACT} itself. So every row equals {@code EXACT}'s bit for bit,
 * whatever {@code EXACT}'s own evaluation is, as long as it stays within the guard of the true value.
 *
 * <p>Not thread-safe: one instance per task of a call.
 */
final class ExactRowRecurrence {
    /** Steps between exact anchors. */
    static final int ANCHOR_INTERVAL = 256;
    /** The distance to a rounding midpoint below which a row is recomputed exactly, per unit of attention_scaling. */
    static final double GUARD = 0x1p-40;
    private static final String GUARD_TEXT = "2^-40";

    /** Exponent bits of the smallest spacing {@link #midpointDistance} uses: exponent 24, spacing 2^-126. */
    static final int SPACING_FLOOR = 24 << 23;
    /** Subtracting it from a float's exponent bits divides by 2^23: from the float to its spacing. */
    static final int SPACING_SHIFT = 23 << 23;

    private final RotaryFrequencies frequencies;
    private final RopeKernel kernel;
    private final double scaling;
    private final double[] stepCos;
    private final double[] stepSin;
    private final double[] cos;
    private final double[] sin;
    private int position = -1;
    private int sinceAnchor;
    /** Rows recomputed by EXACT because a value lay within the guard of a midpoint (for tests). */
    private long recomputed;

    ExactRowRecurrence(RotaryFrequencies frequencies, RopeKernel kernel) {
        this.frequencies = frequencies;
        this.kernel = kernel;
        int pairs = frequencies.pairs();
        this.scaling = frequencies.attentionScaling();
        stepCos = new double[pairs];
        stepSin = new double[pairs];
        cos = new double[pairs];
        sin = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            double theta = frequencies.invFreq(i);
            stepCos[i] = StrictMath.cos(theta);
            stepSin[i] = StrictMath.sin(theta);
        }
    }

    /** Writes {@code EXACT}'s row of {@code p} (a non-negative position) at {@code row[offset]}. */
    void row(int p, float[] row, int offset) {
        boolean step = position >= 0 && p == position + 1 && sinceAnchor < ANCHOR_INTERVAL;
        if (step) {
            sinceAnchor++;
        } else {
            anchor(p);
        }
        position = p;
        double margin = kernel.recurrenceRow(cos, sin, stepCos, stepSin, step, scaling, row, offset);
        if (margin <= GUARD * scaling) {
            recomputed++;
            RotaryPrecision.EXACT.cosSin(frequencies, p, row, offset);
        }
    }

    long recomputed() {
        return recomputed;
    }

    private void anchor(int p) {
        RotaryPrecision.exactCosSin(frequencies, p, cos, sin);
        sinceAnchor = 0;
    }

    /**
     * How far {@code v} may lie from a rounding midpoint next to {@code f = (float) v}: the distance of its rounding
     * error {@code |v - f|} (exact in double) from half the spacing above {@code |f|}, or from a quarter of it (the
     * spacing below a power of two is half as large; checking it everywhere flags a few more values, harmlessly),
     * whichever is smaller. The spacing is {@code 2^(e - 23)} for a float of exponent {@code e}, at least
     * {@code 2^-126} ({@link #SPACING_FLOOR}): values below {@code 2^-103} get a distance far below any guard and are
     * recomputed, as are all values whose spacing is below the guard.
     */
    static double midpointDistance(double v, float f) {
        double error = Math.abs(v - f);
        double half = 0.5 * Float.intBitsToFloat(
                Math.max(Float.floatToRawIntBits(f) & 0x7F80_0000, SPACING_FLOOR) - SPACING_SHIFT);
        return Math.min(Math.abs(error - half), Math.abs(error - 0.5 * half));
    }
}
