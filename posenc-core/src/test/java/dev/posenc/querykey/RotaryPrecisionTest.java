package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * cos/sin tables against high-precision references: {@link RotaryPrecision#EXACT} against mpmath at 200 bits
 * ({@code reference/rope-angles/generate.py}) for positions up to 2^31 - 1, and {@link RotaryPrecision#HF_FLOAT32}
 * against torch's float32 tables ({@code reference/rope-apply/generate.py}).
 */
class RotaryPrecisionTest {
    /** {@link RotaryPrecision#EXACT}'s bound beyond half a float ulp, times attention_scaling (see its Javadoc). */
    private static final double EXACT_SLACK = 0x1p-50;

    /**
     * torch's float32 cos/sin (SLEEF, within 1 ulp) against the correctly rounded ones of the same float angle,
     * times float32 attention_scaling: the one-ulp difference may become two after the product is rounded.
     */
    private static final int HF_FLOAT32_MAX_ULPS = 2;

    private static List<Object> angleEntries() {
        Map<String, Object> root = ReferenceJson.object(ReferenceJson.resource("/reference/rope-angles/vectors.json"));
        return ReferenceJson.list(root.get("entries"));
    }

    @Test
    void exactAnglesAreCorrectlyRoundedAtEveryPositionUpTo2To31() {
        int checked = 0;
        for (Object o : angleEntries()) {
            Map<String, Object> e = ReferenceJson.object(o);
            float invFreq = (float) (double) (Double) e.get("inv_freq");
            int position = (int) (double) (Double) e.get("position");
            double scaling = (Double) e.get("attention_scaling");
            RotaryFrequencies f = new RotaryFrequencies(2, 2, RopeLayout.HALF, new float[] {invFreq}, scaling);
            float[] row = new float[2];
            CosSinOnTheFly.of(f).row(position, row, 0);
            String what = e.get("inv_freq_label") + " position " + position + " scaling " + scaling;
            assertWithinHalfAnUlp(new BigDecimal((String) e.get("cos")), row[0], scaling, what + " cos");
            assertWithinHalfAnUlp(new BigDecimal((String) e.get("sin")), row[1], scaling, what + " sin");
            checked++;
        }
        assertEquals(144, checked);
    }

    /**
     * The reason EXACT is the default: Hugging Face's float32 angle at position 10^7 is off by 0.47 rad for the
     * second pair of a θ=1e4, d=128 model (the mpmath script records the angle error), and HF_FLOAT32 reproduces
     * exactly that.
     */
    @Test
    void hfFloat32ReproducesTheFloatAngleErrorAtLongPositions() {
        for (Object o : angleEntries()) {
            Map<String, Object> e = ReferenceJson.object(o);
            double angleError = (Double) e.get("hf_float32_angle_error");
            if (angleError < 0.1 || (Double) e.get("attention_scaling") != 1.0) {
                continue;
            }
            float invFreq = (float) (double) (Double) e.get("inv_freq");
            int position = (int) (double) (Double) e.get("position");
            RotaryFrequencies f = new RotaryFrequencies(2, 2, RopeLayout.HALF, new float[] {invFreq}, 1.0);
            float[] hf = new float[2];
            CosSinOnTheFly.of(f, RotaryPrecision.HF_FLOAT32).row(position, hf, 0);
            double exactCos = new BigDecimal((String) e.get("cos")).doubleValue();
            double exactSin = new BigDecimal((String) e.get("sin")).doubleValue();
            double chord = Math.hypot(hf[0] - exactCos, hf[1] - exactSin);
            double expectedChord = 2 * Math.sin(angleError / 2);
            assertEquals(expectedChord, chord, 1e-6, e.get("inv_freq_label") + " position " + position);
        }
    }

    @Test
    void hfFloat32TablesMatchTorchWithinTwoUlps() {
        Map<String, Object> root = ReferenceJson.object(ReferenceJson.resource("/reference/rope-apply/vectors.json"));
        int compared = 0;
        for (Object o : ReferenceJson.list(root.get("cases"))) {
            Map<String, Object> c = ReferenceJson.object(o);
            if (!c.containsKey("cos_fp32")) {
                continue;
            }
            float[] inv = ReferenceJson.floats(c.get("inv_freq"));
            RotaryFrequencies f = new RotaryFrequencies(inv.length * 2, inv.length * 2, RopeLayout.HALF, inv,
                    (Double) c.get("attention_scaling"));
            int[] positions = ReferenceJson.ints(c.get("positions"));
            float[] cos = ReferenceJson.floats(c.get("cos_fp32"));
            float[] sin = ReferenceJson.floats(c.get("sin_fp32"));
            float[] row = new float[2 * inv.length];
            for (int t = 0; t < positions.length; t++) {
                CosSinOnTheFly.of(f, RotaryPrecision.HF_FLOAT32).row(positions[t], row, 0);
                for (int i = 0; i < inv.length; i++) {
                    String what = c.get("name") + " position " + positions[t] + " pair " + i;
                    assertUlps(cos[t * inv.length + i], row[i], what + " cos");
                    assertUlps(sin[t * inv.length + i], row[inv.length + i], what + " sin");
                    compared++;
                }
            }
        }
        assertTrue(compared > 100, "compared " + compared);
    }

    private static void assertUlps(float expected, float actual, String what) {
        long ulps = Math.abs((long) Float.floatToIntBits(expected) - Float.floatToIntBits(actual));
        if (Math.signum(expected) != Math.signum(actual) && expected != 0 && actual != 0) {
            ulps = Long.MAX_VALUE;
        }
        assertTrue(ulps <= HF_FLOAT32_MAX_ULPS, what + ": torch " + expected + ", ours " + actual);
    }

    private static void assertWithinHalfAnUlp(BigDecimal exact, float actual, double scaling, String what) {
        BigDecimal error = new BigDecimal(actual).subtract(exact).abs();
        BigDecimal bound = new BigDecimal(Math.ulp(actual)).divide(BigDecimal.TWO)
                .add(new BigDecimal(EXACT_SLACK * scaling));
        assertTrue(error.compareTo(bound) <= 0, what + ": exact " + exact.round(MathContext.DECIMAL64) + ", got "
                + actual + ", error " + error.round(new MathContext(3)) + " > " + bound.round(new MathContext(3)));
    }
}
