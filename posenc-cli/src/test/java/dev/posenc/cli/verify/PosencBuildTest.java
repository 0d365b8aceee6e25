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

    @Test
    void everySeedClaimHoldsOnPosencCore() {
        for (CheckResult c : ArticleClaims.check(BUILD)) {
            assertTrue(c.passed(), () -> "did not pass on posenc-core: " + c);
        }
    }

    @Test
    void defaultFrequenciesAreTheBuildsFloat32InvFreq() {
        RotaryFrequencies f = BUILD.defaultFrequencies(128, 500_000, RopeLayout.HALF);
        // rope-variants.md section 8: inv[1] = 0.81461723 (float32 within 1.1e-7 relative)
        assertEquals(0.81461723, f.invFreq(1), 1.1e-7);
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
        assertEquals(bands.unscaledInvFreq()[40] / 8, bands.invFreq()[40], 1e-6 * bands.invFreq()[40]);
    }
}
