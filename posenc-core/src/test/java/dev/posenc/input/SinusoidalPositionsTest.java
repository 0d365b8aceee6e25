package dev.posenc.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.testing.ReferenceVectors;
import org.junit.jupiter.api.Test;

class SinusoidalPositionsTest {
    /** The bound for tables against the reference scripts. */
    static final double TABLE_ABS_TOL = 1e-6;
    /** Double-precision values against numpy/torch float64. */
    static final double DOUBLE_ABS_TOL = 1e-12;
    /** A float32 table entry against the double value: half an ulp of numbers <= 1. */
    static final double FLOAT_ABS_TOL = 6e-8;

    @Test
    void matchesPeMethodsTestVector() {
        double[] expected = {.841471, .540302, .099833, .995004, .01, .99995, .001, 1};
        SinusoidalPositions pe = SinusoidalPositions.vaswani(8);
        for (int c = 0; c < 8; c++) {
            assertEquals(expected[c], pe.value(1, c), 5e-7, "column " + c);
        }
    }

    @Test
    void interleavedEqualsVaswaniFormula() {
        for (JsonNode c : ReferenceVectors.load("sinusoidal").get("interleaved")) {
            SinusoidalPositions pe = new SinusoidalPositions(c.get("dim").asInt(), c.get("base").asDouble(),
                    SinusoidLayout.INTERLEAVED);
            checkTable(pe, 0, c.get("table"));
        }
    }

    @Test
    void concatenatedEqualsTransformerXlIncludingNegativeDistances() {
        for (JsonNode c : ReferenceVectors.load("sinusoidal").get("concatenated")) {
            SinusoidalPositions pe = new SinusoidalPositions(c.get("dim").asInt(), c.get("base").asDouble(),
                    SinusoidLayout.CONCATENATED);
            checkTable(pe, c.get("first_position").asInt(), c.get("table"));
        }
    }

    private static void checkTable(SinusoidalPositions pe, int first, JsonNode table) {
        for (int p = 0; p < table.size(); p++) {
            for (int col = 0; col < pe.dim(); col++) {
                double expected = table.get(p).get(col).asDouble();
                assertEquals(expected, pe.value(first + p, col), DOUBLE_ABS_TOL, pe + " p=" + (first + p) + " c=" + col);
            }
        }
        if (first >= 0) {
            float[] floats = pe.table(first, table.size());
            for (int p = 0; p < table.size(); p++) {
                for (int col = 0; col < pe.dim(); col++) {
                    assertEquals(table.get(p).get(col).asDouble(), floats[p * pe.dim() + col], FLOAT_ABS_TOL);
                }
            }
        }
    }

    @Test
    void shiftingByKIsALinearMapIndependentOfThePosition() {
        SinusoidalPositions pe = SinusoidalPositions.vaswani(16);
        int k = 7;
        for (int p : new int[] {0, 3, 100, 10_000}) {
            for (int i = 0; i < 8; i++) {
                double w = pe.angularFrequency(i) * k;
                double s = pe.value(p, 2 * i);
                double c = pe.value(p, 2 * i + 1);
                assertEquals(s * Math.cos(w) + c * Math.sin(w), pe.value(p + k, 2 * i), DOUBLE_ABS_TOL);
                assertEquals(c * Math.cos(w) - s * Math.sin(w), pe.value(p + k, 2 * i + 1), DOUBLE_ABS_TOL);
            }
        }
    }

    @Test
    void rejectsOddDimensionsAndBadBases() {
        assertThrows(IllegalArgumentException.class, () -> SinusoidalPositions.vaswani(7));
        assertThrows(IllegalArgumentException.class, () -> SinusoidalPositions.vaswani(0));
        assertThrows(IllegalArgumentException.class, () -> new SinusoidalPositions(8, 1.0, SinusoidLayout.INTERLEAVED));
        assertThrows(IllegalArgumentException.class, () -> SinusoidalPositions.vaswani(8).table(-1, 3));
    }
}
