package dev.posenc.querykey;

/**
 * How the cos and sin of a rotary angle {@code m * invFreq[i]} are computed before they become the {@code float}s
 * the kernels multiply by.
 *
 * <p>Both modes multiply cos and sin by {@link RotaryFrequencies#attentionScaling()}, as Hugging Face does
 * ({@code cos = emb.cos() * self.attention_scaling} in every {@code *RotaryEmbedding.forward}).
 *
 * <h2>Why {@link #EXACT} is the default</h2>
 * Hugging Face forms the angle as a float32 product {@code fp32(position) * inv_freq}. Its rounding error is half an
 * ulp of the angle, which grows with the position: about 0.5 rad for {@code inv_freq = 1} at position 10,000,000
 * (the float spacing there is 1), so the fastest pairs of a long-context model are rotated by essentially random
 * angles; positions above 2^24 are themselves rounded before the product. The RoPE precision bugs users reported
 * (transformers PR #29285 and issue #29496, gpt-neox PR #1016, vLLM PR #1004: bf16/fp16 tables and positions) are
 * the same error at lower precision. {@code EXACT} makes every position as
 * precise as position 10; {@link #HF_FLOAT32} is there for users who must reproduce a torch run bit for bit.
 */
public enum RotaryPrecision {
    /**
     * Exact angles, rounded once.
     *
     * <p>The product {@code a = m * invFreq[i]} is formed in double precision and its rounding error captured
     * exactly, {@code e = fma(m, invFreq[i], -a)}, so {@code a + e} is the exact angle for every {@code int}
     * position and every finite float {@code invFreq[i]} (the product of a 31-bit integer and a 24-bit significand
     * has at most 55 significant bits, and {@code m * invFreq[i] <= 2^31 * 2^128} is far below the double range).
     * {@link StrictMath#cos}/{@link StrictMath#sin} (fdlibm: exact argument reduction for every finite double, under
     * one ulp, the same bits on every JVM) are evaluated at {@code a}, then:
     * <ul>
     *   <li>when {@code |e| <= 2^-22} (always the case for {@code a < 2^31}, hence for every {@code invFreq <= 1}):
     *       corrected to second order, {@code cos(a+e) = cos a (1 - e²/2) - e sin a},
     *       {@code sin(a+e) = sin a (1 - e²/2) + e cos a} (the neglected terms are below 2^-66);
     *   <li>otherwise ({@code invFreq > 1} at long positions, where {@code e} may be any size up to
     *       {@code 2^-54·a}): by the addition theorem with fdlibm's cos/sin of {@code e} itself,
     *       {@code cos(a+e) = cos a cos e - sin a sin e}, {@code sin(a+e) = sin a cos e + cos a sin e}: four values
     *       within one double ulp each and two rounded products, below 2^-50 in all.
     * </ul>
     * The result is multiplied by {@code attentionScaling} in double and rounded once to float: within half a float
     * ulp of the exact value plus {@code 2^-50 * attentionScaling}, i.e. the correctly rounded float except where
     * the exact value lies within about 2^-50 of a rounding tie. So {@code |cos² + sin² - s²| <= 2^-22·s²} for
     * {@code s = attentionScaling}, at every position and for every finite {@code invFreq}.
     */
    EXACT,

    /**
     * Hugging Face float32 parity.
     *
     * <p>As {@code LlamaRotaryEmbedding.forward} (transformers {@code modeling_llama.py}, v4.4x and v5) computes
     * it under {@code autocast(enabled=False)}: {@code freqs = inv_freq.float() @ position_ids.float()} (a single
     * product per entry, rounded to float), {@code cos = emb.cos() * attention_scaling} in float32, where
     * {@code attention_scaling} is converted to float32 first. Here the float cos/sin of the float angle are the
     * correctly rounded ones; torch's vectorised {@code cosf}/{@code sinf} are within one ulp of those, so tables
     * agree with torch to within one ulp.
     */
    HF_FLOAT32;

    /** The largest residual {@code e} of {@link #EXACT}'s angle that the second-order correction covers. */
    private static final double SMALL_RESIDUAL = 0x1p-22;

    /**
     * Checks that cos and sin times {@code attentionScaling} are finite floats: a scaling above
     * {@link Float#MAX_VALUE} (a finite double) would make them infinite.
     */
    static void requireFloatScaling(RotaryFrequencies frequencies) {
        if (!(frequencies.attentionScaling() <= Float.MAX_VALUE)) {
            throw new IllegalArgumentException("attention_scaling must be at most " + Float.MAX_VALUE
                    + " (cos and sin are floats), got " + frequencies.attentionScaling());
        }
    }

    /**
     * The double cos and sin of every pair's angle {@code m · inv_freq[i]}, within about {@code 2^-51} of the true
     * values for any finite {@code m} and {@code inv_freq}: the product is split exactly into {@code a + e} with an
     * FMA, then {@code cos(a + e) = cos a cos e − sin a sin e} with {@link StrictMath} (which reduces any argument
     * exactly). Shared by the context shift and the exact row recurrence; unscaled.
     */
    static void exactCosSin(RotaryFrequencies frequencies, double m, double[] cos, double[] sin) {
        for (int i = 0; i < frequencies.pairs(); i++) {
            double invFreq = frequencies.invFreq(i);
            double a = m * invFreq;
            double e = Math.fma(m, invFreq, -a);
            double cosA = StrictMath.cos(a);
            double sinA = StrictMath.sin(a);
            double cosE = StrictMath.cos(e);
            double sinE = StrictMath.sin(e);
            cos[i] = cosA * cosE - sinA * sinE;
            sin[i] = sinA * cosE + cosA * sinE;
        }
    }

    /**
     * Checks that this precision gives finite angles for positions up to {@code maxPosition}: {@link #EXACT} does
     * for every finite {@code inv_freq}; {@link #HF_FLOAT32}'s float32 product {@code position · inv_freq} overflows
     * once it passes {@link Float#MAX_VALUE} (torch would compute NaN cos and sin there), so such frequencies are
     * refused up front rather than written as NaN.
     */
    void requireFiniteAngles(RotaryFrequencies frequencies, int maxPosition) {
        if (this != HF_FLOAT32) {
            return;
        }
        for (int i = 0; i < frequencies.pairs(); i++) {
            if (Float.isInfinite((float) maxPosition * frequencies.invFreq(i))) {
                throw new IllegalArgumentException("HF_FLOAT32 angles overflow float32: position " + maxPosition
                        + " × inv_freq[" + i + "] " + frequencies.invFreq(i) + " (torch would give NaN); use EXACT");
            }
        }
    }

    /**
     * Writes cos of each pair at {@code position} into {@code row[offset, offset + pairs)} and sin into
     * {@code row[offset + pairs, offset + 2 * pairs)}; both include {@code attentionScaling}.
     */
    void cosSin(RotaryFrequencies frequencies, int position, float[] row, int offset) {
        int pairs = frequencies.pairs();
        if (this == EXACT) {
            double scaling = frequencies.attentionScaling();
            double m = position;
            for (int i = 0; i < pairs; i++) {
                double invFreq = frequencies.invFreq(i);
                double a = m * invFreq;
                double e = Math.fma(m, invFreq, -a);
                double cos = StrictMath.cos(a);
                double sin = StrictMath.sin(a);
                if (Math.abs(e) <= SMALL_RESIDUAL) {
                    double halfE2 = 0.5 * e * e;
                    row[offset + i] = (float) ((cos - e * sin - halfE2 * cos) * scaling);
                    row[offset + pairs + i] = (float) ((sin + e * cos - halfE2 * sin) * scaling);
                } else {
                    double cosE = StrictMath.cos(e);
                    double sinE = StrictMath.sin(e);
                    row[offset + i] = (float) (Math.fma(cos, cosE, -sin * sinE) * scaling);
                    row[offset + pairs + i] = (float) (Math.fma(sin, cosE, cos * sinE) * scaling);
                }
            }
        } else {
            float scaling = (float) frequencies.attentionScaling();
            float m = position;
            for (int i = 0; i < pairs; i++) {
                float angle = m * frequencies.invFreq(i);
                row[offset + i] = (float) StrictMath.cos(angle) * scaling;
                row[offset + pairs + i] = (float) StrictMath.sin(angle) * scaling;
            }
        }
    }
}
