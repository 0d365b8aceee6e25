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
 * coordinate, plus the step's own error): at most about {@code 4 * 2^-53} per step, so at most
 * {@code ANCHOR_INTERVAL * 2^-51 + 2^-51 < 2^-44} from the true value (absolute; both are at most 1).
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
    static final int ANCHOR_INTERVAL = 64;
    /** The distance to a rounding midpoint below which a row is recomputed exactly, per unit of attention_scaling. */
    static final double GUARD = 0x1p-40;
    private static final String GUARD_TEXT = "2^-40";

    private final RotaryFrequencies frequencies;
    private final int pairs;
    private final double scaling;
    private final double[] stepCos;
    private final double[] stepSin;
    private final double[] cos;
    private final double[] sin;
    private int position = -1;
    private int sinceAnchor;
    /** Rows recomputed by EXACT because a value lay within the guard of a midpoint (for tests). */
    private long recomputed;

    ExactRowRecurrence(RotaryFrequencies frequencies) {
        this.frequencies = frequencies;
        this.pairs = frequencies.pairs();
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
        if (position < 0 || p != position + 1 || sinceAnchor == ANCHOR_INTERVAL) {
            anchor(p);
        } else {
            step();
        }
        position = p;
        double guard = GUARD * scaling;
        for (int i = 0; i < pairs; i++) {
            double c = cos[i] * scaling;
            double s = sin[i] * scaling;
            float fc = (float) c;
            float fs = (float) s;
            if (nearMidpoint(c, fc, guard) || nearMidpoint(s, fs, guard)) {
                recomputed++;
                RotaryPrecision.EXACT.cosSin(frequencies, p, row, offset);
                return;
            }
            row[offset + i] = fc;
            row[offset + pairs + i] = fs;
        }
    }

    long recomputed() {
        return recomputed;
    }

    private void anchor(int p) {
        RotaryPrecision.exactCosSin(frequencies, p, cos, sin);
        sinceAnchor = 0;
    }

    private void step() {
        for (int i = 0; i < pairs; i++) {
            double c = cos[i];
            double s = sin[i];
            cos[i] = c * stepCos[i] - s * stepSin[i];
            sin[i] = s * stepCos[i] + c * stepSin[i];
        }
        sinceAnchor++;
    }

    /**
     * Whether {@code v} may lie within {@code guard} of a midpoint next to {@code f = (float) v}: its rounding error
     * {@code |v - f|} (exact in double) within {@code guard} of half the spacing above {@code |f|}, or of a quarter of
     * it (the spacing below a power of two is half as large; checking it everywhere flags a few more values,
     * harmlessly).
     */
    private static boolean nearMidpoint(double v, float f, double guard) {
        double error = Math.abs(v - f);
        double half = 0.5 * Math.ulp(f);
        return Math.abs(error - half) <= guard || Math.abs(error - 0.5 * half) <= guard;
    }
}
