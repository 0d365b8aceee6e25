package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import org.junit.jupiter.api.Test;

/**
 * {@link HalfFloat}'s conversions, and the vector kernel's lane conversions equal to them: <b>0 ulps</b> (the same
 * bits; any NaN to the format's quiet NaN when narrowing, NaN to NaN when widening). Widening is checked on all
 * 65,536 patterns; narrowing on the boundaries (ties, the largest finite values, the overflow threshold, subnormals)
 * and 262,144 random float patterns, against the JDK's {@code Float.floatToFloat16} for float16 and against the
 * nearest-even definition for bfloat16.
 */
class HalfConversionTest {
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();
    private static final int RANDOM_FLOATS = 1 << 18;

    @Test
    void vectorWideningEqualsScalarOnEveryPattern() {
        for (HalfFloat format : HalfFloat.values()) {
            int[] lanes = new int[LANES];
            float[] out = new float[LANES];
            for (int h = 0; h < 1 << 16; h += LANES) {
                for (int l = 0; l < LANES; l++) {
                    lanes[l] = (short) (h + l); // sign-extended, as the kernel's S2I widening leaves them
                }
                IntVector v = IntVector.fromArray(IntVector.SPECIES_PREFERRED, lanes, 0);
                (format == HalfFloat.BFLOAT16 ? VectorRopeKernel.bfloat16ToFloat(v)
                        : VectorRopeKernel.float16ToFloat(v)).intoArray(out, 0);
                for (int l = 0; l < LANES; l++) {
                    float expected = format.toFloat((short) lanes[l]);
                    float actual = out[l];
                    if (Float.isNaN(expected)) {
                        assertTrue(Float.isNaN(actual), format + " " + Integer.toHexString(h + l));
                    } else {
                        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                                format + " " + Integer.toHexString(h + l));
                    }
                }
            }
        }
    }

    @Test
    void vectorNarrowingEqualsScalar() {
        float[] values = narrowingCases();
        int[] out = new int[LANES];
        for (HalfFloat format : HalfFloat.values()) {
            for (int i = 0; i + LANES <= values.length; i += LANES) {
                FloatVector v = FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, values, i);
                (format == HalfFloat.BFLOAT16 ? VectorRopeKernel.floatToBfloat16(v)
                        : VectorRopeKernel.floatToFloat16(v)).intoArray(out, 0);
                for (int l = 0; l < LANES; l++) {
                    assertEquals(format.fromFloat(values[i + l]), (short) out[l],
                            format + " of " + Float.toHexString(values[i + l]));
                }
            }
        }
    }

    @Test
    void float16NarrowingIsTheJdksRoundingAndTorchsNaN() {
        for (float v : narrowingCases()) {
            if (!Float.isNaN(v)) {
                assertEquals(Float.floatToFloat16(v), HalfFloat.FLOAT16.fromFloat(v), Float.toHexString(v));
            }
        }
        assertEquals((short) 0x7E00, HalfFloat.FLOAT16.fromFloat(Float.NaN));
        assertEquals((short) 0xFE00, HalfFloat.FLOAT16.fromFloat(Float.intBitsToFloat(0xFFC0_0001)));
        assertEquals((short) 0x7BFF, HalfFloat.FLOAT16.fromFloat(65519.996f));
        assertEquals((short) 0x7C00, HalfFloat.FLOAT16.fromFloat(65520f));
    }

    /** Nearest bfloat16, ties to the even pattern; every NaN becomes 0x7FC0 as in torch. */
    @Test
    void bfloat16NarrowingRoundsToNearestEven() {
        for (float v : narrowingCases()) {
            short h = HalfFloat.BFLOAT16.fromFloat(v);
            if (Float.isNaN(v)) {
                assertEquals((short) 0x7FC0, h);
                continue;
            }
            int bits = Float.floatToRawIntBits(v);
            int down = bits & 0xFFFF_0000;
            int rest = bits & 0xFFFF;
            int expected = rest > 0x8000 || rest == 0x8000 && (down & 0x1_0000) != 0 ? down + 0x1_0000 : down;
            assertEquals((short) (expected >>> 16), h, Float.toHexString(v));
        }
        assertEquals((short) 0x3F80, HalfFloat.BFLOAT16.fromFloat(Float.intBitsToFloat(0x3F80_8000)));
        assertEquals((short) 0x3F82, HalfFloat.BFLOAT16.fromFloat(Float.intBitsToFloat(0x3F81_8000)));
        assertEquals((short) 0x7F80, HalfFloat.BFLOAT16.fromFloat(Float.MAX_VALUE));
    }

    private static float[] narrowingCases() {
        SplittableRandom r = new SplittableRandom(16);
        int special = 64 * 1024;
        float[] x = new float[special + RANDOM_FLOATS];
        int n = 0;
        // around every float16 and bfloat16 value's halfway points (ties) and neighbours
        for (int h = 0; h < 1 << 15 && n + 8 <= special; h += 8) {
            float f = Float.float16ToFloat((short) h);
            float next = Float.float16ToFloat((short) (h + 1));
            float mid = (f + next) / 2;
            x[n++] = mid;
            x[n++] = -mid;
            x[n++] = Math.nextUp(mid);
            x[n++] = Math.nextDown(mid);
            int b = Float.floatToRawIntBits(Float.intBitsToFloat(h << 16)) | 0x8000;
            x[n++] = Float.intBitsToFloat(b);
            x[n++] = Float.intBitsToFloat(b + 1);
            x[n++] = Float.intBitsToFloat(b - 1);
            x[n++] = Float.intBitsToFloat(b ^ 0x8000_0000);
        }
        float[] edges = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, 0x1p-14f,
            65504f, 65519f, 65520f, 65536f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NaN, Float.intBitsToFloat(0x7F80_0001), Float.intBitsToFloat(0xFFFF_FFFF)};
        for (float e : edges) {
            x[n++] = e;
            x[n++] = -e;
        }
        while (n < special) {
            x[n++] = (float) r.nextGaussian();
        }
        for (int i = 0; i < RANDOM_FLOATS; i++) {
            x[n++] = Float.intBitsToFloat(r.nextInt());
        }
        return x;
    }
}
