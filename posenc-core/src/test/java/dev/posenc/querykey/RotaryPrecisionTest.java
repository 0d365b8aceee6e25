package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

    /** Entries whose float32 angle error is at least this many radians show HF_FLOAT32's drift (position 10^7). */
    private static final double LARGE_ANGLE_ERROR_RAD = 0.1;

    /**
     * The chord between HF_FLOAT32's (cos, sin) and the exact one against {@code 2 sin(err/2)}: float32 cos/sin are
     * within ~1e-7 of the float angle's, so 1e-6 leaves ten float ulps of room.
     */
    private static final double CHORD_ABS_TOL = 1e-6;

    /**
     * {@link RotaryPrecision#EXACT}'s bound on {@code |cos² + sin² - s²| / s²} (its Javadoc): 2^-22, two float ulps
     * of 1.
     */
    private static final double NORM_BOUND = 0x1p-22;

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
     * EXACT for inverse frequencies above 1 (where the double product's residual is no longer small) up to the
     * largest float, and for subnormal ones, against mpmath ({@code reference/rope-angles-large/generate.py}).
     */
    @Test
    void exactAnglesAreCorrectlyRoundedForEveryFiniteInvFreq() {
        Map<String, Object> root = ReferenceJson.object(
                ReferenceJson.resource("/reference/rope-angles-large/vectors.json"));
        int checked = 0;
        for (Object o : ReferenceJson.list(root.get("entries"))) {
            Map<String, Object> e = ReferenceJson.object(o);
            float invFreq = (float) (double) (Double) e.get("inv_freq");
            int position = (int) (double) (Double) e.get("position");
            RotaryFrequencies f = new RotaryFrequencies(2, 2, RopeLayout.HALF, new float[] {invFreq}, 1.0);
            float[] row = new float[2];
            CosSinOnTheFly.of(f).row(position, row, 0);
            String what = e.get("inv_freq_label") + " (" + invFreq + ") position " + position;
            assertWithinHalfAnUlp(new BigDecimal((String) e.get("cos")), row[0], 1.0, what + " cos");
            assertWithinHalfAnUlp(new BigDecimal((String) e.get("sin")), row[1], 1.0, what + " sin");
            assertUnitNorm(row[0], row[1], 1.0, what);
            checked++;
        }
        assertEquals(156, checked);
    }

    /**
     * Seeded random finite float inverse frequencies (every exponent, uniformly random bits) at random and extreme
     * positions: cos and sin finite, {@code cos² + sin²} within {@link #NORM_BOUND} of {@code s²}, and a table
     * equal to the rows computed on the fly.
     */
    @Test
    void exactAnglesKeepTheNormForRandomFiniteInvFreqs() {
        long seed = 0x5eed_a9c1eL;
        Random random = new Random(seed);
        int[] extremes = {0, 1, 2, 16777217, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        float[] inv = new float[64];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = Float.intBitsToFloat(random.nextInt(0x7f800000));
        }
        for (double scaling : new double[] {1.0, 1.1386294361119890, 0.1}) {
            RotaryFrequencies f = new RotaryFrequencies(128, 128, RopeLayout.HALF, inv, scaling);
            float[] row = new float[128];
            for (int t = 0; t < 200; t++) {
                int position = t < extremes.length ? extremes[t] : random.nextInt(Integer.MAX_VALUE);
                CosSinOnTheFly.of(f).row(position, row, 0);
                for (int i = 0; i < inv.length; i++) {
                    assertUnitNorm(row[i], row[64 + i], scaling, "seed " + seed + " inv_freq " + inv[i]
                            + " position " + position + " scaling " + scaling);
                }
            }
            CosSinCache cache = CosSinCache.of(f, Integer.MAX_VALUE - 4, Integer.MAX_VALUE);
            CosSinOnTheFly.of(f).row(Integer.MAX_VALUE - 1, row, 0);
            for (int i = 0; i < inv.length; i++) {
                assertEquals(row[i], cache.cos(Integer.MAX_VALUE - 1, i));
                assertEquals(row[64 + i], cache.sin(Integer.MAX_VALUE - 1, i));
            }
        }
    }

    @Test
    void attentionScalingBeyondTheFloatRangeIsRejectedBeforeAnyInfiniteCosSin() {
        RotaryFrequencies f = new RotaryFrequencies(2, 2, RopeLayout.HALF, new float[] {1}, 4.8e307);
        for (RotaryPrecision precision : RotaryPrecision.values()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CosSinCache.of(f, 0, 4, precision));
            assertEquals("attention_scaling must be at most 3.4028235E38 (cos and sin are floats), got 4.8E307",
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CosSinOnTheFly.of(f, precision));
        }
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
            if (angleError < LARGE_ANGLE_ERROR_RAD || (Double) e.get("attention_scaling") != 1.0) {
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
            assertEquals(expectedChord, chord, CHORD_ABS_TOL, e.get("inv_freq_label") + " position " + position);
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

    private static void assertUnitNorm(float cos, float sin, double scaling, String what) {
        assertTrue(Float.isFinite(cos) && Float.isFinite(sin), what + ": cos " + cos + ", sin " + sin);
        double norm = ((double) cos * cos + (double) sin * sin) / (scaling * scaling);
        assertTrue(Math.abs(norm - 1) <= NORM_BOUND, what + ": cos² + sin² = " + norm + " times scaling²");
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

    @Test
    void hfFloat32RefusesAnglesThatOverflowFloat32() {
        RotaryFrequencies huge = new RotaryFrequencies(4, 4, RopeLayout.HALF, new float[] {1f, 1e30f}, 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CosSinOnTheFly.of(huge, RotaryPrecision.HF_FLOAT32));
        assertTrue(e.getMessage().startsWith("HF_FLOAT32 angles overflow float32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CosSinCache.of(huge, 1 << 30, 1 << 30 + 1,
                RotaryPrecision.HF_FLOAT32));
        float[] row = new float[4];
        CosSinOnTheFly.of(huge).row(Integer.MAX_VALUE, row, 0);
        for (float v : row) {
            assertTrue(Float.isFinite(v), "EXACT reduces any finite inv_freq");
        }
    }
}
