package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The frequency test vectors of {@code shared/reference/rope-variants.md} §8 and {@code pe-methods.md} §2, which
 * print 6 to 8 significant digits (float64 unless noted).
 */
class RopeSpecTest {
    /** The reference documents print 6 significant digits or more. */
    static final double PRINTED_REL_TOL = 1e-5;
    /** Values printed with 8 significant digits. */
    static final double PRINTED_8_DIGITS_REL_TOL = 1e-7;
    /** A float64 reference against a value HF computes through a chain of float32 operations. */
    static final double FLOAT32_CHAIN_REL_TOL = 1e-6;
    /** §8 of the reference: HF's float32 {@code inv_freq} lies within 1.1e-7 (relative) of the float64 value. */
    static final double FLOAT32_VS_FLOAT64_REL_TOL = 1.1e-7;
    /** Below one float ulp of 0.1 (7.5e-9): the frequencies are the nearest floats of the round decimals. */
    static final float DECIMAL_FREQUENCY_ABS_TOL = 1e-9f;
    /** Proportional RoPE reaches 0.1 through its own float32 exponent: a few ulps of 0.1f, below one ulp of 1f. */
    static final float PROPORTIONAL_ABS_TOL = 1e-7f;
    /** Values printed with 3 decimals: half a unit in the last place. */
    static final double PRINTED_3_DECIMALS_ABS_TOL = 5e-4;
    /** Values printed with 5 significant digits. */
    static final double PRINTED_5_DIGITS_REL_TOL = 1e-4;
    /** YaRN's ramp in [0, 1] is computed in float32 (ulp at most 6e-8), the expectation in double. */
    static final double FLOAT_RAMP_ABS_TOL = 1e-6;
    /** Static NTK's base: StrictMath against Math.pow in double, far below float resolution. */
    static final double NTK_THETA_REL_TOL = 1e-9;
    /** NTK's lowest pair is invFreq / s in exact arithmetic; both sides go through float32 pow and division. */
    static final double NTK_LOWEST_PAIR_REL_TOL = 1e-5;

    private static RopeSpec spec(int dim, double theta, int maxpos, RopeScaling scaling) {
        return new RopeSpec(dim, dim, RopeLayout.HALF, theta, maxpos, scaling);
    }

    private static void assertRelative(double expected, double actual, double tol, String what) {
        assertEquals(expected, actual, Math.abs(expected) * tol, what);
    }

    @Test
    void defaultFrequenciesOfLlama3Base() {
        RotaryFrequencies f = spec(128, 5e5, 8192, new RopeScaling.Default()).frequencies();
        assertEquals(1f, f.invFreq(0));
        assertRelative(0.81461723, f.invFreq(1), PRINTED_8_DIGITS_REL_TOL, "inv[1]");
        assertRelative(0.66360124, f.invFreq(2), PRINTED_8_DIGITS_REL_TOL, "inv[2]");
        assertRelative(0.540581, f.invFreq(3), PRINTED_REL_TOL, "inv[3]");
        assertRelative(2.4551408e-6, f.invFreq(63), FLOAT32_VS_FLOAT64_REL_TOL, "inv[63] (§8)");
        assertEquals(1.0, f.attentionScaling());
    }

    @Test
    void smallHeadsOfTheRotationVectors() {
        RotaryFrequencies full = spec(8, 1e4, 2048, new RopeScaling.Default()).frequencies();
        assertArrayEquals(new float[] {1f, 0.1f, 0.01f, 0.001f}, full.invFreq(), DECIMAL_FREQUENCY_ABS_TOL);
        RotaryFrequencies partial = new RopeSpec(8, 4, RopeLayout.HALF, 1e4, 2048, new RopeScaling.Default())
                .frequencies();
        assertArrayEquals(new float[] {1f, 0.01f}, partial.invFreq(), DECIMAL_FREQUENCY_ABS_TOL);
        RotaryFrequencies proportional = new RopeSpec(8, 8, RopeLayout.HALF, 1e4, 2048,
                new RopeScaling.Proportional(1.0, 0.5)).frequencies();
        assertArrayEquals(new float[] {1f, 0.1f, 0f, 0f}, proportional.invFreq(), PROPORTIONAL_ABS_TOL);
    }

    @Test
    void llama31KeepsBlendsAndDividesAsPublished() {
        RopeSpec spec = spec(128, 5e5, 131072, new RopeScaling.Llama3(8, 1, 4, 8192));
        float[] base = spec(128, 5e5, 131072, new RopeScaling.Default()).frequencies().invFreq();
        float[] scaled = spec.frequencies().invFreq();
        List<FrequencyPair> pairs = spec.pairs(0);
        for (int i = 0; i <= 28; i++) {
            assertEquals(base[i], scaled[i], "pair " + i + " kept");
            assertEquals(PairBand.KEPT, pairs.get(i).band());
        }
        for (int i = 35; i < 64; i++) {
            assertEquals(base[i] / 8f, scaled[i], "pair " + i + " divided by 8");
            assertEquals(PairBand.INTERPOLATED, pairs.get(i).band());
        }
        double[] ratios = {1.20748, 1.55341, 2.02631, 2.69453, 3.68425, 5.25733};
        for (int i = 29; i <= 34; i++) {
            assertRelative(ratios[i - 29], base[i] / scaled[i], PRINTED_REL_TOL, "inv/new of pair " + i);
            assertEquals(PairBand.BLENDED, pairs.get(i).band());
        }
        assertRelative(3.0689260e-7, scaled[63], PRINTED_8_DIGITS_REL_TOL, "new[63]");
    }

    @Test
    void llama32BandsAsPublished() {
        List<FrequencyPair> pairs = spec(64, 5e5, 131072, new RopeScaling.Llama3(32, 1, 4, 8192)).pairs(0);
        assertEquals(15, pairs.stream().filter(p -> p.band() == PairBand.KEPT).count());
        assertEquals(List.of(15, 16, 17), pairs.stream().filter(p -> p.band() == PairBand.BLENDED)
                .map(FrequencyPair::index).toList());
        assertEquals(14, pairs.stream().filter(p -> p.band() == PairBand.INTERPOLATED).count());
    }

    private static RopeScaling.Yarn yarn(double factor, int l0, boolean truncate, double mscale, double mscaleAllDim) {
        return new RopeScaling.Yarn(factor, l0, 32, 1, truncate, OptionalDouble.empty(), mscale, mscaleAllDim);
    }

    @Test
    void yarnOfQwen() {
        RopeScaling.Yarn raw = yarn(4, 32768, false, 0, 0);
        assertEquals(23.596, raw.correctionRange(128, 1e6).low(), PRINTED_3_DECIMALS_ABS_TOL);
        assertEquals(39.651, raw.correctionRange(128, 1e6).high(), PRINTED_3_DECIMALS_ABS_TOL);
        RopeScaling.Yarn yarn = yarn(4, 32768, true, 0, 0);
        assertEquals(new RopeScaling.Yarn.CorrectionRange(23, 40), yarn.correctionRange(128, 1e6));
        RopeSpec spec = spec(128, 1e6, 131072, yarn);
        float[] ef = yarn.extrapolationFactor(spec.geometry());
        for (int i = 0; i < 64; i++) {
            double expected = i <= 23 ? 1 : i < 40 ? 1 - (i - 23) / 17.0 : 0;
            assertEquals(expected, ef[i], FLOAT_RAMP_ABS_TOL, "ef[" + i + "]");
        }
        assertRelative(1.1386294, spec.attentionScaling(), PRINTED_8_DIGITS_REL_TOL, "attention");
    }

    @Test
    void yarnOfDeepSeekV3() {
        RopeScaling.Yarn raw = yarn(40, 4096, false, 1, 1);
        assertEquals(10.472, raw.correctionRange(64, 1e4).low(), PRINTED_3_DECIMALS_ABS_TOL);
        assertEquals(22.513, raw.correctionRange(64, 1e4).high(), PRINTED_3_DECIMALS_ABS_TOL);
        RopeScaling.Yarn yarn = yarn(40, 4096, true, 1, 1);
        assertEquals(new RopeScaling.Yarn.CorrectionRange(10, 23), yarn.correctionRange(64, 1e4));
        assertEquals(1.0, spec(64, 1e4, 163840, yarn).attentionScaling());
        assertRelative(1.3688879, RopeScaling.Yarn.mscaleOf(40, 1), PRINTED_8_DIGITS_REL_TOL,
                "softmax mscale (outside RoPE)");
    }

    @Test
    void yarnOfGptOss() {
        RopeScaling.Yarn raw = yarn(32, 4096, false, 0, 0);
        assertRelative(8.092779, raw.correctionRange(64, 1.5e5).low(), PRINTED_REL_TOL, "low");
        assertRelative(17.398025, raw.correctionRange(64, 1.5e5).high(), PRINTED_REL_TOL, "high");
        float[] ef = raw.extrapolationFactor(spec(64, 1.5e5, 131072, raw).geometry());
        assertRelative(0.902504, ef[9], PRINTED_REL_TOL, "ef[9]");
        assertRelative(0.042774, ef[17], PRINTED_5_DIGITS_REL_TOL, "ef[17]");
        assertEquals(new RopeScaling.Yarn.CorrectionRange(8, 18), yarn(32, 4096, true, 0, 0)
                .correctionRange(64, 1.5e5));
        assertRelative(1.3465736, spec(64, 1.5e5, 131072, raw).attentionScaling(), PRINTED_8_DIGITS_REL_TOL,
                "attention");
    }

    @Test
    void yarnRangesOfPeMethods() {
        assertEquals(new RopeScaling.Yarn.CorrectionRange(20, 46), yarn(16, 4096, true, 0, 0).correctionRange(128, 1e4));
        assertEquals(new RopeScaling.Yarn.CorrectionRange(16, 41), yarn(16, 2048, true, 0, 0).correctionRange(128, 1e4));
        assertRelative(1.277259, spec(128, 1e4, 65536, yarn(16, 4096, true, 0, 0)).attentionScaling(),
                PRINTED_REL_TOL, "mscale s=16");
    }

    @Test
    void longropeAttentionOfPhi35() {
        float[] ones = new float[48];
        Arrays.fill(ones, 1f);
        RopeScaling.LongRope longrope = new RopeScaling.LongRope(ones, ones, 4096, 131072 / 4096.0,
                OptionalDouble.empty());
        assertRelative(1.1902381, spec(96, 1e4, 131072, longrope).attentionScaling(), PRINTED_8_DIGITS_REL_TOL,
                "attention");
    }

    @Test
    void dynamicBaseGrowsAsPublished() {
        RopeSpec spec = spec(128, 1e4, 4096, new RopeScaling.Dynamic(2));
        RopeScaling.Dynamic dynamic = (RopeScaling.Dynamic) spec.scaling();
        assertEquals(1e4, dynamic.scaledTheta(spec, 4096));
        assertRelative(20221.2617, dynamic.scaledTheta(spec, 6144), FLOAT32_CHAIN_REL_TOL, "L = 6144");
        assertRelative(30527.7367, dynamic.scaledTheta(spec, 8192), FLOAT32_CHAIN_REL_TOL, "L = 8192");
        assertRelative(72195.8601, dynamic.scaledTheta(spec, 16384), FLOAT32_CHAIN_REL_TOL, "L = 16384");
    }

    @Test
    void sequenceLengthMattersOnlyForDynamicAndLongrope() {
        RopeSpec linear = spec(64, 1e4, 4096, new RopeScaling.Linear(4));
        assertEquals(linear.frequencies(), linear.frequencies(1_000_000));
        RopeSpec dynamic = spec(64, 1e4, 4096, new RopeScaling.Dynamic(4));
        assertEquals(dynamic.frequencies(), dynamic.frequencies(4096));
        assertEquals(spec(64, 1e4, 4096, new RopeScaling.Default()).frequencies(), dynamic.frequencies());
        float[] shortF = new float[32];
        float[] longF = new float[32];
        Arrays.fill(shortF, 1f);
        Arrays.fill(longF, 2f);
        RopeSpec longrope = spec(64, 1e4, 16384, new RopeScaling.LongRope(shortF, longF, 4096, 4,
                OptionalDouble.empty()));
        assertEquals(longrope.frequencies(), longrope.frequencies(4096));
        float[] atInit = longrope.frequencies().invFreq();
        float[] above = longrope.frequencies(4097).invFreq();
        for (int i = 0; i < 32; i++) {
            assertEquals(atInit[i] / 2f, above[i], Math.ulp(above[i]), "pair " + i);
        }
        assertEquals(PairBand.KEPT, longrope.pairs(0).get(5).band());
        assertEquals(PairBand.INTERPOLATED, longrope.pairs(4097).get(5).band());
    }

    @Test
    void ntkRaisesTheBaseOnce() {
        RopeSpec ntk = spec(128, 1e4, 4096, new RopeScaling.Ntk(4));
        double theta = ((RopeScaling.Ntk) ntk.scaling()).scaledTheta(ntk);
        assertEquals(1e4 * Math.pow(4, 128.0 / 126), theta, NTK_THETA_REL_TOL * theta);
        assertEquals(spec(128, theta, 4096, new RopeScaling.Default()).frequencies().invFreq()[5],
                ntk.frequencies().invFreq()[5]);
        List<FrequencyPair> pairs = ntk.pairs(0);
        assertEquals(PairBand.KEPT, pairs.get(0).band());
        assertEquals(PairBand.BLENDED, pairs.get(63).band());
        float lowest = spec(128, 1e4, 4096, new RopeScaling.Default()).frequencies().invFreq(63);
        assertRelative(lowest / 4f, pairs.get(63).invFreq(), NTK_LOWEST_PAIR_REL_TOL, "the lowest frequency is interpolated by s");
    }

    @Test
    void proportionalPadsWithUnrotatedPairs() {
        RopeSpec spec = new RopeSpec(256, 256, RopeLayout.HALF, 1e6, 131072, new RopeScaling.Proportional(8, 0.25));
        List<FrequencyPair> pairs = spec.pairs(0);
        assertEquals(128, pairs.size());
        assertEquals(32, pairs.stream().filter(p -> p.band() == PairBand.INTERPOLATED).count());
        assertEquals(PairBand.UNROTATED, pairs.get(32).band());
        assertEquals(0f, pairs.get(127).invFreq());
        assertEquals(Double.POSITIVE_INFINITY, pairs.get(127).wavelength());
        assertEquals(1f / 8f, pairs.get(0).invFreq());
    }

    @Test
    void wavelengthIsTwoPiOverTheFrequency() {
        FrequencyPair p = spec(128, 1e4, 4096, new RopeScaling.Default()).pairs(0).get(10);
        assertEquals(2 * Math.PI / p.invFreq(), p.wavelength());
    }

    @Test
    void rejectsGeometryAndParametersWithoutMath() {
        RopeScaling def = new RopeScaling.Default();
        assertThrows(IllegalArgumentException.class, () -> new RopeSpec(0, 2, RopeLayout.HALF, 1e4, 1, def));
        assertThrows(IllegalArgumentException.class, () -> new RopeSpec(64, 63, RopeLayout.HALF, 1e4, 1, def));
        assertThrows(IllegalArgumentException.class, () -> new RopeSpec(64, 66, RopeLayout.HALF, 1e4, 1, def));
        assertThrows(IllegalArgumentException.class, () -> new RopeSpec(64, 64, RopeLayout.HALF, 0, 1, def));
        assertThrows(IllegalArgumentException.class,
                () -> new RopeSpec(64, 64, RopeLayout.HALF, Double.NaN, 1, def));
        assertThrows(IllegalArgumentException.class, () -> new RopeSpec(64, 64, RopeLayout.HALF, 1e4, 0, def));
        assertEquals("layout", assertThrows(NullPointerException.class,
                () -> new RopeSpec(64, 64, null, 1e4, 1, def)).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new RopeSpec(64, 2, RopeLayout.HALF, 1e4, 1, new RopeScaling.Dynamic(2)));
        assertThrows(IllegalArgumentException.class,
                () -> new RopeSpec(64, 32, RopeLayout.HALF, 1e4, 1, new RopeScaling.Proportional(1, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> new RopeSpec(64, 64, RopeLayout.HALF, 1e4, 1,
                new RopeScaling.LongRope(new float[31], new float[31], 1, 1, OptionalDouble.empty())));
        assertThrows(IllegalArgumentException.class, () -> new RopeScaling.Linear(0));
        assertThrows(IllegalArgumentException.class, () -> new RopeScaling.Linear(1e-46), "0 in float32");
        assertEquals(0.5, new RopeScaling.Linear(0.5).factor(), "HF only warns below 1");
        assertThrows(IllegalArgumentException.class, () -> new RopeScaling.Linear(Double.POSITIVE_INFINITY));
        assertEquals(4, new RopeScaling.Llama3(8, 4, 4, 8192).highFreqFactor(), "HF only warns when high <= low");
        assertThrows(IllegalArgumentException.class, () -> new RopeScaling.Llama3(8, 1, 4, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RopeScaling.Yarn(4, 4096, -1, 1, true, OptionalDouble.empty(), 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RopeScaling.Yarn(4, 4096, 32, 1, true, OptionalDouble.of(1e20), 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RopeScaling.Yarn(4, 4096, 32, 1, true, OptionalDouble.empty(), Double.NaN, 0));
        assertThrows(IllegalArgumentException.class, () -> new RopeScaling.LongRope(new float[] {1, 0},
                new float[] {1, 1}, 4096, 1, OptionalDouble.empty()));
        assertThrows(IllegalArgumentException.class, () -> new RopeScaling.Proportional(1, -0.25));
        assertEquals(0, new RopeScaling.Proportional(1, 0).partialRotaryFactor(), "HF computes with 0: nothing rotates");
        assertThrows(IllegalArgumentException.class, () -> new RopeScaling.Proportional(1, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> spec(64, 1e4, 4096, def).frequencies(-1));
    }

    @Test
    void longropeCopiesItsFactorsInAndOut() {
        float[] shortF = {1f, 2f};
        RopeScaling.LongRope l = new RopeScaling.LongRope(shortF, new float[] {3f, 4f}, 4096, 1, OptionalDouble.empty());
        shortF[0] = 9f;
        l.shortFactor()[1] = 9f;
        assertArrayEquals(new float[] {1f, 2f}, l.shortFactor());
        assertEquals(l, new RopeScaling.LongRope(new float[] {1f, 2f}, new float[] {3f, 4f}, 4096, 1,
                OptionalDouble.empty()));
    }
}
