package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RotaryEmbedding#shiftKeys}: keys rotated at {@code p} and shifted by {@code delta} equal keys rotated at
 * {@code p + delta}, for float32, float16 and bfloat16 ({@code short[]} and segments), both layouts, partial rotary,
 * GQA head counts, token- and head-major strides with offsets, YaRN-like attention scaling (which must not be applied
 * twice), M-RoPE text positions, negative and positive deltas.
 */
class ContextShiftTest {
    /**
     * Float32, per element relative to its pair's length: the fresh rotation at {@code p} and the one at
     * {@code p + delta} each carry the rounding of cos/sin (half an ulp each), of two products and of a sum (about
     * two ulps of the pair's length), the shift one more rounding (half an ulp; its double angle and rotation add
     * about 2^-50): at most about 4.5 ulps apart. Five ulps.
     */
    static final double FLOAT_SHIFT_TOL = 5 * 0x1p-24;

    /**
     * Half precision, per element: each of the two fresh rotations is rounded once to the format (half an ulp of
     * the format, plus the float32 errors above, 2^-11 of an ulp of the format), the shift once more: 1.5 ulps, so
     * two ulps of the format relative to the pair's length ({@code 2^-10} ulps per unit for float16, {@code 2^-7}
     * for bfloat16), never less than two of the format's smallest subnormal spacing.
     */
    static double halfShiftTol(HalfFloat format, double pairLength) {
        return format == HalfFloat.FLOAT16 ? 2 * Math.max(0x1p-10 * pairLength, 0x1p-24)
                : 2 * Math.max(0x1p-7 * pairLength, 0x1p-133);
    }

    private static final int CASES = 200;

    @Test
    void shiftedKeysEqualFreshRotationsWithinTheBound() {
        SplittableRandom r = new SplittableRandom(0x5A1F7L);
        for (int c = 0; c < CASES; c++) {
            RopeLayout layout = r.nextBoolean() ? RopeLayout.HALF : RopeLayout.INTERLEAVED;
            int headDim = 2 * (1 + r.nextInt(r.nextBoolean() ? 8 : 64));
            int rotaryDim = r.nextInt(3) == 0 ? 2 * (1 + r.nextInt(headDim / 2)) : headDim;
            double scaling = r.nextInt(3) == 0 ? 1 + r.nextDouble() * 0.3 : 1.0;
            RotaryFrequencies f = new RotaryFrequencies(headDim, rotaryDim, layout,
                    TestFrequencies.invFreq(rotaryDim, new double[] {1e4, 5e5, 1e6}[r.nextInt(3)]), scaling);
            int heads = 1 + r.nextInt(4);
            int tokens = 1 + r.nextInt(12);
            long offset = r.nextInt(3) == 0 ? r.nextInt(1, 9) : 0;
            HeadStrides strides = r.nextBoolean() ? HeadStrides.tokenMajor(heads, headDim).withOffset(offset)
                    : HeadStrides.headMajor(heads, tokens, headDim).withOffset(offset);
            int length = (int) (offset + (long) tokens * heads * headDim);
            int start = r.nextInt(1 << 20);
            int delta = r.nextBoolean() ? -r.nextInt(start + 1) : r.nextInt(1 << 20);
            RotaryEmbedding rope = RotaryEmbedding.of(CosSinOnTheFly.of(f));
            boolean mrope = r.nextInt(4) == 0;
            if (mrope) {
                int p = f.pairs();
                int a = r.nextInt(p + 1);
                int b = r.nextInt(p - a + 1);
                rope = rope.withAxes(RotaryAxes.mrope(a, b, p - a - b));
            }
            String what = "case " + c + " " + layout + " head_dim=" + headDim + " rotary_dim=" + rotaryDim + " "
                    + strides + " tokens=" + tokens + " start=" + start + " delta=" + delta + (mrope ? " mrope" : "");
            float[] x = RopePropertyTest.random(r, length);
            int kind = r.nextInt(3);
            if (kind == 0) {
                float[] shifted = x.clone();
                rope.applyToKeys(positions(start, tokens, mrope), tokens, shifted, strides);
                rope.shiftKeys(delta, tokens, shifted, strides);
                float[] fresh = x.clone();
                rope.applyToKeys(positions(start + delta, tokens, mrope), tokens, fresh, strides);
                assertClose(f, strides, tokens, fresh, shifted, null, what);
            } else {
                HalfFloat format = kind == 1 ? HalfFloat.FLOAT16 : HalfFloat.BFLOAT16;
                short[] h = HalfKernelEqualityTest.narrow(x, format);
                short[] shifted = h.clone();
                rope.applyToKeys(positions(start, tokens, mrope), tokens, format, shifted, strides);
                if (r.nextBoolean()) {
                    rope.shiftKeys(delta, tokens, format, shifted, strides);
                } else {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment s = arena.allocate(2L * shifted.length, 2);
                        MemorySegment.copy(shifted, 0, s, ValueLayout.JAVA_SHORT, 0, shifted.length);
                        rope.shiftKeys(delta, tokens, format, s, strides);
                        shifted = s.toArray(ValueLayout.JAVA_SHORT);
                    }
                }
                short[] fresh = h.clone();
                rope.applyToKeys(positions(start + delta, tokens, mrope), tokens, format, fresh, strides);
                assertClose(f, strides, tokens, HalfKernelEqualityTest.widen(fresh, format),
                        HalfKernelEqualityTest.widen(shifted, format), format, what + " " + format);
            }
        }
    }

    /** Float segments take the same path as arrays, bit for bit. */
    @Test
    void floatSegmentsShiftLikeArrays() {
        RotaryFrequencies f = TestFrequencies.defaults(64, 48, RopeLayout.INTERLEAVED, 1e4);
        float[] x = RopePropertyTest.random(new SplittableRandom(3), 5 * 2 * 64);
        HeadStrides s = HeadStrides.tokenMajor(2, 64);
        RotaryEmbedding rope = RotaryEmbedding.of(CosSinOnTheFly.of(f));
        float[] array = x.clone();
        rope.shiftKeys(-1234, 5, array, s);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4L * x.length, 4);
            MemorySegment.copy(x, 0, seg, ValueLayout.JAVA_FLOAT, 0, x.length);
            rope.shiftKeys(-1234, 5, seg, s);
            assertArrayEquals(RopePropertyTest.bits(array), RopePropertyTest.bits(seg.toArray(ValueLayout.JAVA_FLOAT)));
        }
    }

    @Test
    void badCallsWriteNothing() {
        RotaryFrequencies f = TestFrequencies.defaults(8, 8, RopeLayout.HALF, 1e4);
        RotaryEmbedding rope = RotaryEmbedding.of(CosSinOnTheFly.of(f));
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] before = x.clone();
        assertThrows(IllegalArgumentException.class, () -> rope.shiftKeys(5, 2, x, HeadStrides.tokenMajor(1, 8)));
        assertThrows(IllegalArgumentException.class, () -> rope.shiftKeys(5, -1, x, HeadStrides.tokenMajor(1, 8)));
        assertThrows(IllegalArgumentException.class,
                () -> rope.withXPos(new XPos(512, 0)).shiftKeys(5, 1, x, HeadStrides.tokenMajor(1, 8)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ro = arena.allocate(16, 2).asReadOnly();
            assertThrows(IllegalArgumentException.class,
                    () -> rope.shiftKeys(5, 1, HalfFloat.FLOAT16, ro, HeadStrides.tokenMajor(1, 8)));
        }
        assertArrayEquals(before, x);
        rope.shiftKeys(0, 1, x, HeadStrides.tokenMajor(1, 8));
        assertArrayEquals(before, x);
    }

    private static RopePositions positions(int start, int tokens, boolean mrope) {
        if (!mrope) {
            return RopePositions.startingAt(start);
        }
        int[] p = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            p[t] = start + t;
        }
        return RopePositions.axes(p, p, p);
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static void assertClose(RotaryFrequencies f, HeadStrides s, int tokens, float[] expected, float[] actual,
                                    HalfFloat format, String what) {
        assertClose(f, s, tokens, widen(expected), widen(actual), format, what);
    }

    private static void assertClose(RotaryFrequencies f, HeadStrides s, int tokens, double[] expected,
                                    double[] actual, HalfFloat format, String what) {
        int rotaryDim = f.rotaryDim();
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < s.heads(); h++) {
                long b = s.offset() + t * s.tokenStride() + h * s.headStride();
                for (int i = 0; i < f.pairs(); i++) {
                    int i0 = (int) (b + f.layout().firstColumn(i, rotaryDim));
                    int i1 = (int) (b + f.layout().secondColumn(i, rotaryDim));
                    double length = Math.hypot(expected[i0], expected[i1]);
                    double tol = format == null ? Math.max(FLOAT_SHIFT_TOL * length, Float.MIN_VALUE)
                            : halfShiftTol(format, length);
                    for (int idx : new int[] {i0, i1}) {
                        assertTrue(Math.abs(expected[idx] - actual[idx]) <= tol, what + ": token " + t + " head " + h
                                + " pair " + i + ": fresh " + expected[idx] + ", shifted " + actual[idx]
                                + ", tolerance " + tol);
                    }
                }
                for (int j = rotaryDim; j < f.headDim(); j++) {
                    int idx = (int) (b + j);
                    assertTrue(Double.compare(expected[idx], actual[idx]) == 0, what + ": pass-through column " + j);
                }
            }
        }
    }
}
