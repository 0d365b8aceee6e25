package dev.posenc.cli.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.cli.ExampleConfigs;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** posenc-core as the measured build: the parts that verify, plot and report read from it. */
class PosencBuildTest {
    private static final Build BUILD = PosencBuild.create();
    /** The article prints HF's float32 inv_freq to 8 digits; two float32 ulps at 0.81 (6e-8 each) cover both. */
    private static final double PRINTED_INV_FREQ_ABS_TOL = 1.1e-7;
    /** llama3's float32 inv_freq / 8 against the unscaled value / 8: float32 rounding (1.2e-7), with a margin of 8. */
    private static final double INTERPOLATED_REL_TOL = 1e-6;

    @Test
    void everySeedClaimHoldsOnPosencCore() {
        for (CheckResult c : ArticleClaims.check(BUILD)) {
            assertTrue(c.passed(), () -> "did not pass on posenc-core: " + c);
        }
    }

    @Test
    void defaultFrequenciesAreTheBuildsFloat32InvFreq() {
        RotaryFrequencies f = BUILD.defaultFrequencies(128, 500_000, RopeLayout.HALF);
        // rope-variants.md section 8: inv[1] = 0.81461723
        assertEquals(0.81461723, f.invFreq(1), PRINTED_INV_FREQ_ABS_TOL);
        assertEquals(RopeLayout.HALF, f.layout());
    }

    @Test
    void everyBundledExampleIsInspectedWithoutWarnings() {
        for (String name : ExampleConfigs.names()) {
            Map<String, Object> inspection = BUILD.inspect(ExampleConfigs.path(name));
            assertTrue(inspection.containsKey("kind"), name + ": " + inspection);
            assertEquals(java.util.List.of(), inspection.get("warnings"), name);
        }
    }

    @Test
    void llama31BandsKeepInterpolateAndBlend() {
        ConfigBands bands = BUILD.bands(ExampleConfigs.path("llama-3.1-8b.json"));
        assertEquals("llama3", bands.ropeType());
        assertEquals(8192, bands.originalContext());
        assertEquals(131072, bands.extendedContext());
        // rope-variants.md section 8: pairs 0-28 kept, 29-34 smoothed, 35-63 divided by 8.
        assertEquals("kept", bands.band().get(28));
        assertEquals("blended", bands.band().get(29));
        assertEquals("blended", bands.band().get(34));
        assertEquals("interpolated", bands.band().get(35));
        assertEquals(bands.unscaledInvFreq()[40] / 8, bands.invFreq()[40], INTERPOLATED_REL_TOL * bands.invFreq()[40]);
    }
}
