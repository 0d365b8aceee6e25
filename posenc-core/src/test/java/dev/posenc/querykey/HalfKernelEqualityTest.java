package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Half-precision rotation, <b>0 ulps</b> everywhere: the vector kernel equals the scalar one, segments equal
 * {@code short[]}, for both formats and both {@link HalfArithmetic}s, on the random calls of {@link RandomRopeCase}
 * (both layouts, partial rotary, GQA, token-major, head-major and fused QKV strides with offsets, M-RoPE, 2-D
 * positions, xPos, cached and on-the-fly rows). And {@link HalfArithmetic#FLOAT32} is by definition the float kernel
 * on the widened values, rounded once: held equal to exactly that.
 */
class HalfKernelEqualityTest {
    private static final long SEED = 0xF16B16L;
    private static final int CASES = 300;

    @Test
    void vectorEqualsScalarAndSegmentsEqualArrays() {
        RopeKernel vector = RopeKernel.vector().orElseThrow(() -> new AssertionError("vector kernel missing"));
        SplittableRandom seeds = new SplittableRandom(SEED);
        for (int c = 0; c < CASES; c++) {
            RandomRopeCase rc = RandomRopeCase.of(seeds.nextLong());
            HalfFloat format = HalfFloat.values()[c % 2];
            HalfArithmetic arithmetic = HalfArithmetic.values()[(c / 2) % 2];
            short[][] scalar = run(rc, rc.embedding(RopeKernel.scalar()).withHalfArithmetic(arithmetic), format);
            short[][] vec = run(rc, rc.embedding(vector).withHalfArithmetic(arithmetic), format);
            short[][] segment = runOnSegments(rc, rc.embedding(vector).withHalfArithmetic(arithmetic), format);
            String what = rc + " " + format + " " + arithmetic;
            assertArrayEquals(scalar[0], vec[0], what + " (query, vector)");
            assertArrayEquals(scalar[1], vec[1], what + " (key, vector)");
            assertArrayEquals(scalar[0], segment[0], what + " (query, segment)");
            assertArrayEquals(scalar[1], segment[1], what + " (key, segment)");
        }
    }

    /**
     * NaNs (with payloads, both signs), infinities, the formats' largest values (whose products overflow when the
     * attention scaling exceeds 1, and whose differences then turn into NaN), subnormals and zeros: the vector
     * kernels' lane-wise narrowing and NaN handling equal the scalar oracle's. Every NaN compares as one value:
     * Java leaves the sign of a NaN that arithmetic produces unspecified (C2 may swap the operands of a commutative
     * float operation, and x86 then propagates the other NaN), so a float16 NaN's sign bit is not part of the
     * contract; every other bit is.
     */
    @Test
    void specialValuesRotateAsInTheScalarKernel() {
        RopeKernel vector = RopeKernel.vector().orElseThrow(() -> new AssertionError("vector kernel missing"));
        float[] specials = {Float.NaN, Float.intBitsToFloat(0xFFC0_1234), Float.intBitsToFloat(0x7FBF_FFFF),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 65504f, -65504f, 3.3895314e38f, -3.3895314e38f,
                Float.MAX_VALUE, 1e-40f, -6e-8f, 0f, -0f};
        SplittableRandom seeds = new SplittableRandom(SEED + 2);
        for (int c = 0; c < CASES / 2; c++) {
            RandomRopeCase rc = RandomRopeCase.of(seeds.nextLong());
            SplittableRandom r = new SplittableRandom(c);
            for (float[] x : rc.fused ? new float[][] {rc.query} : new float[][] {rc.query, rc.key}) {
                for (int i = 0; i < x.length; i++) {
                    if (r.nextInt(8) == 0) {
                        x[i] = specials[r.nextInt(specials.length)];
                    }
                }
            }
            HalfFloat format = HalfFloat.values()[c % 2];
            HalfArithmetic arithmetic = HalfArithmetic.values()[(c / 2) % 2];
            short[][] scalar = run(rc, rc.embedding(RopeKernel.scalar()).withHalfArithmetic(arithmetic), format);
            short[][] vec = run(rc, rc.embedding(vector).withHalfArithmetic(arithmetic), format);
            short[][] segment = runOnSegments(rc, rc.embedding(vector).withHalfArithmetic(arithmetic), format);
            for (short[][] out : new short[][][] {scalar, vec, segment}) {
                oneNaN(out[0], format);
                oneNaN(out[1], format);
            }
            String what = rc + " " + format + " " + arithmetic + " with special values";
            assertArrayEquals(scalar[0], vec[0], what + " (query, vector)");
            assertArrayEquals(scalar[1], vec[1], what + " (key, vector)");
            assertArrayEquals(scalar[0], segment[0], what + " (query, segment)");
            assertArrayEquals(scalar[1], segment[1], what + " (key, segment)");
        }
    }

    @Test
    void float32ArithmeticIsTheFloatKernelRoundedOnce() {
        SplittableRandom seeds = new SplittableRandom(SEED + 1);
        for (int c = 0; c < CASES / 2; c++) {
            RandomRopeCase rc = RandomRopeCase.of(seeds.nextLong());
            HalfFloat format = HalfFloat.values()[c % 2];
            RotaryEmbedding rope = rc.embedding(RopeKernel.best());
            short[][] half = run(rc, rope, format);
            float[] q = widen(narrow(rc.query, format), format);
            float[] k = rc.fused ? q : widen(narrow(rc.key, format), format);
            rope.apply(rc.positions, rc.tokens, q, rc.queryStrides, k, rc.keyStrides);
            assertArrayEquals(narrow(q, format), half[0], rc + " " + format + " (query)");
            assertArrayEquals(narrow(k, format), half[1], rc + " " + format + " (key)");
        }
    }

    /** Every NaN in {@code x} replaced by the format's positive quiet NaN. */
    private static void oneNaN(short[] x, HalfFloat format) {
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(format.toFloat(x[i]))) {
                x[i] = format.fromFloat(Float.NaN);
            }
        }
    }

    static short[][] run(RandomRopeCase rc, RotaryEmbedding rope, HalfFloat format) {
        short[] q = narrow(rc.query, format);
        short[] k = rc.fused ? q : narrow(rc.key, format);
        rope.apply(rc.positions, rc.tokens, format, q, rc.queryStrides, k, rc.keyStrides);
        return new short[][] {q, k};
    }

    static short[][] runOnSegments(RandomRopeCase rc, RotaryEmbedding rope, HalfFloat format) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = segment(arena, narrow(rc.query, format));
            MemorySegment k = rc.fused ? q : segment(arena, narrow(rc.key, format));
            rope.apply(rc.positions, rc.tokens, format, q, rc.queryStrides, k, rc.keyStrides);
            short[] qOut = q.toArray(ValueLayout.JAVA_SHORT);
            return new short[][] {qOut, rc.fused ? qOut : k.toArray(ValueLayout.JAVA_SHORT)};
        }
    }

    static short[] narrow(float[] x, HalfFloat format) {
        short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = format.fromFloat(x[i]);
        }
        return out;
    }

    static float[] widen(short[] x, HalfFloat format) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = format.toFloat(x[i]);
        }
        return out;
    }

    private static MemorySegment segment(Arena arena, short[] x) {
        MemorySegment s = arena.allocate((long) x.length * Short.BYTES, Short.BYTES);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_SHORT, 0, x.length);
        return s;
    }
}
