package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CosSinCacheTest {
    /** A table holds the bits {@link CosSinOnTheFly} computes, in both precisions, for any start. */
    @Test
    void cachedRowsEqualRowsComputedOnTheFly() {
        RotaryFrequencies f = new RotaryFrequencies(128, 96, RopeLayout.INTERLEAVED,
                TestFrequencies.invFreq(96, 5e5), 1.1386294361119890);
        for (RotaryPrecision precision : RotaryPrecision.values()) {
            CosSinCache cache = CosSinCache.of(f, 1_000_000, 1_000_300, precision);
            CosSinOnTheFly fly = CosSinOnTheFly.of(f, precision);
            float[] a = new float[96];
            float[] b = new float[96];
            for (int p = cache.start(); p < cache.end(); p++) {
                cache.row(p, a, 0);
                fly.row(p, b, 0);
                assertArrayEquals(RopePropertyTest.bits(b), RopePropertyTest.bits(a), precision + " position " + p);
                assertEquals(b[5], cache.cos(p, 5));
                assertEquals(b[48 + 47], cache.sin(p, 47));
            }
        }
    }

    @Test
    void sizeIsTwoFloatsPerPairAndPosition() {
        RotaryFrequencies f = TestFrequencies.defaults(128, 128, RopeLayout.HALF, 1e4);
        assertEquals(2L * 64 * 4096 * Float.BYTES, CosSinCache.of(f, 0, 4096).bytes());
    }

    @Test
    void rowsIncludeAttentionScaling() {
        RotaryFrequencies plain = new RotaryFrequencies(4, 4, RopeLayout.HALF, new float[] {1f, 0.5f}, 1.0);
        RotaryFrequencies scaled = new RotaryFrequencies(4, 4, RopeLayout.HALF, new float[] {1f, 0.5f}, 1.25);
        float[] a = new float[4];
        float[] b = new float[4];
        CosSinOnTheFly.of(plain).row(7, a, 0);
        CosSinOnTheFly.of(scaled).row(7, b, 0);
        for (int i = 0; i < 4; i++) {
            assertEquals(1.25 * a[i], b[i], Math.ulp(b[i]), "entry " + i);
        }
    }
}
