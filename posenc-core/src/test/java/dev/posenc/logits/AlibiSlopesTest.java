package dev.posenc.logits;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.testing.ReferenceVectors;
import org.junit.jupiter.api.Test;

class AlibiSlopesTest {
    /** The bound for slopes against the reference scripts. */
    static final double SLOPE_ABS_TOL = 1e-6;
    /** The reference document prints slopes to six decimals: half a unit of the last printed digit. */
    static final double PRINTED_6_DECIMALS_ABS_TOL = 5e-7;
    /** float32 slopes against torch's float32 pow: at most one ulp apart. */
    static final double FLOAT32_REL_TOL = 1.2e-7;

    @Test
    void matchesPeMethodsTestVectors() {
        double[] eight = AlibiSlopes.paper(8);
        for (int h = 0; h < 8; h++) {
            assertEquals(Math.pow(2, -(h + 1)), eight[h], 0.0);
        }
        double[] twelve = AlibiSlopes.paper(12);
        double[] tail = {.707107, .353553, .176777, .088388};
        for (int i = 0; i < 4; i++) {
            assertEquals(tail[i], twelve[8 + i], PRINTED_6_DECIMALS_ABS_TOL);
        }
    }

    @Test
    void paperSlopesEqualTheAuthorsGetSlopes() {
        for (JsonNode c : ReferenceVectors.load("alibi").get("paper")) {
            assertArrayEquals(ReferenceVectors.doubles(c.get("slopes")), AlibiSlopes.paper(c.get("heads").asInt()),
                    SLOPE_ABS_TOL, "heads=" + c.get("heads"));
        }
    }

    @Test
    void bloomSlopesEqualBuildAlibiTensor() {
        for (JsonNode c : ReferenceVectors.load("alibi").get("bloom")) {
            assertClose(ReferenceVectors.doubles(c.get("slopes")), AlibiSlopes.bloom(c.get("heads").asInt()),
                    "bloom heads=" + c.get("heads"));
        }
    }

    @Test
    void falconSlopesAreBloomsInBfloat16Exactly() {
        for (JsonNode c : ReferenceVectors.load("alibi").get("falcon")) {
            assertArrayEquals(ReferenceVectors.doubles(c.get("slopes")), AlibiSlopes.falcon(c.get("heads").asInt()), 0.0,
                    "falcon heads=" + c.get("heads"));
        }
    }

    @Test
    void mptSlopesEqualGenSlopesForEveryBiasMax() {
        for (JsonNode c : ReferenceVectors.load("alibi").get("mpt")) {
            assertClose(ReferenceVectors.doubles(c.get("slopes")),
                    AlibiSlopes.mpt(c.get("heads").asInt(), c.get("alibi_bias_max").asDouble()),
                    "mpt heads=" + c.get("heads") + " alibi_bias_max=" + c.get("alibi_bias_max"));
        }
    }

    @Test
    void mptAndPaperAgreeAtTheDefaultBiasMaxEvenForHeadCountsThatAreNotPowersOfTwo() {
        for (int n : new int[] {1, 3, 5, 6, 12, 24, 40, 71}) {
            assertArrayEquals(AlibiSlopes.paper(n), AlibiSlopes.mpt(n, 8), SLOPE_ABS_TOL, "heads=" + n);
        }
    }

    @Test
    void mptIsThePaperRuleGeneralisedToAnyBiasMaxInFloat32() {
        for (int n : new int[] {1, 3, 6, 12, 24, 40}) {
            for (double max : new double[] {4, 12.5, 16}) {
                double[] paper = AlibiSlopes.paper(n, max);
                double[] mpt = AlibiSlopes.mpt(n, max);
                for (int h = 0; h < n; h++) {
                    assertEquals(paper[h], mpt[h], 2 * FLOAT32_REL_TOL * paper[h], "heads=" + n + " max=" + max + " h=" + h);
                }
            }
        }
    }

    @Test
    void rejectsZeroHeadsAndBadBiasMax() {
        assertThrows(IllegalArgumentException.class, () -> AlibiSlopes.paper(0));
        assertThrows(IllegalArgumentException.class, () -> AlibiSlopes.bloom(-1));
        assertThrows(IllegalArgumentException.class, () -> AlibiSlopes.mpt(8, 0));
        assertThrows(IllegalArgumentException.class, () -> AlibiSlopes.mpt(8, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> AlibiSlopes.paper(8, -1));
    }

    /** {@link AlibiSlopes#MAX_HEADS} is accepted by every rule; one more (or 2^30 + 1, 2^31 − 1) is a one-line error. */
    @Test
    void headCountsAreLimited() {
        int max = AlibiSlopes.MAX_HEADS;
        assertEquals(max, AlibiSlopes.paper(max).length);
        assertEquals(max, AlibiSlopes.bloom(max).length);
        assertEquals(max, AlibiSlopes.falcon(max).length);
        assertEquals(max, AlibiSlopes.mpt(max, 8).length);
        for (int heads : new int[] {max + 1, (1 << 30) + 1, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlibiSlopes.mpt(heads, 8));
            assertEquals("the number of heads must be between 1 and 65536, got " + heads, e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> AlibiSlopes.paper(heads));
            assertThrows(IllegalArgumentException.class, () -> AlibiSlopes.bloom(heads));
            assertThrows(IllegalArgumentException.class, () -> AlibiSlopes.falcon(heads));
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], Math.max(SLOPE_ABS_TOL * 1e-3, Math.abs(expected[i]) * FLOAT32_REL_TOL),
                    what + " slope " + i);
        }
    }
}
