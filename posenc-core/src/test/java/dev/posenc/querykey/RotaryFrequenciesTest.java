package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RotaryFrequenciesTest {
    @Test
    void copiesItsArrayOnTheWayInAndOut() {
        float[] inv = {1f, 0.5f};
        RotaryFrequencies f = new RotaryFrequencies(8, 4, RopeLayout.HALF, inv, 1.0);
        inv[0] = 7f;
        f.invFreq()[1] = 9f;
        assertEquals(1f, f.invFreq(0));
        assertEquals(0.5f, f.invFreq(1));
        assertEquals(2, f.pairs());
    }

    @Test
    void rejectsGeometryThatCannotBeRotated() {
        assertThrows(IllegalArgumentException.class, () -> new RotaryFrequencies(8, 5, RopeLayout.HALF, new float[2], 1));
        assertThrows(IllegalArgumentException.class, () -> new RotaryFrequencies(8, 10, RopeLayout.HALF, new float[5], 1));
        assertThrows(IllegalArgumentException.class, () -> new RotaryFrequencies(8, 4, RopeLayout.HALF, new float[3], 1));
        assertThrows(IllegalArgumentException.class,
                () -> new RotaryFrequencies(8, 4, RopeLayout.HALF, new float[] {1f, Float.NaN}, 1));
        assertThrows(IllegalArgumentException.class, () -> new RotaryFrequencies(8, 4, RopeLayout.HALF, new float[2], 0));
    }
}
