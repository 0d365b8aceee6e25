package dev.posenc.logits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Shaw et al.'s row index {@code clip(j − i, −k, k) + k}, and the tables that read it. */
class ShawDistanceTest {
    @Test
    void clipsTheSignedDistanceAndShiftsItToARow() {
        int k = 3;
        assertEquals(3, ShawDistance.index(5, 5, k), "same position: the middle row");
        assertEquals(4, ShawDistance.index(5, 6, k), "one key ahead");
        assertEquals(2, ShawDistance.index(5, 4, k), "one key behind");
        assertEquals(0, ShawDistance.index(5, 2, k), "k behind: the first row");
        assertEquals(0, ShawDistance.index(5, 0, k), "further behind: clipped");
        assertEquals(6, ShawDistance.index(0, 100, k), "far ahead: clipped to 2k");
        assertEquals(0, ShawDistance.index(Integer.MAX_VALUE, Integer.MIN_VALUE, k), "no int overflow");
        assertEquals(0, ShawDistance.index(7, 9, 0), "k = 0: one row");
    }

    @Test
    void theKeyAndValueTablesReadTheSameRow() {
        int k = 2;
        ShawRelativeValues values = new ShawRelativeValues(k, 1, new float[2 * k + 1]);
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                assertEquals(ShawDistance.index(i, j, k), values.relativeIndex(i, j), i + "," + j);
            }
        }
    }
}
