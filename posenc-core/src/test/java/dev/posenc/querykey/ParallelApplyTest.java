package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RotaryEmbedding#withExecutor}: split over threads by tokens (prefill) or by heads (fewer tokens than
 * tasks), the result is the single-threaded one, <b>bit for bit</b>, on the random calls of {@link RandomRopeCase}
 * (float32 arrays and shared segments, float16/bfloat16 arrays, both half arithmetics).
 */
class ParallelApplyTest {
    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(3);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    @Test
    void threadedEqualsSingleThreaded() {
        SplittableRandom seeds = new SplittableRandom(0x7EADL);
        for (int c = 0; c < 150; c++) {
            RandomRopeCase rc = RandomRopeCase.of(seeds.nextLong());
            int parallelism = 2 + c % 6;
            RotaryEmbedding one = rc.embedding(RopeKernel.best());
            RotaryEmbedding many = one.withExecutor(pool, parallelism);
            assertEquals(parallelism, many.parallelism());
            String what = rc + " parallelism=" + parallelism;
            float[][] expected = rc.run(one);
            float[][] actual = rc.run(many);
            assertArrayEquals(RopePropertyTest.bits(expected[0]), RopePropertyTest.bits(actual[0]), what);
            assertArrayEquals(RopePropertyTest.bits(expected[1]), RopePropertyTest.bits(actual[1]), what);
            float[][] segments = runOnSharedSegments(rc, many);
            assertArrayEquals(RopePropertyTest.bits(expected[0]), RopePropertyTest.bits(segments[0]), what);
            assertArrayEquals(RopePropertyTest.bits(expected[1]), RopePropertyTest.bits(segments[1]), what);
            HalfFloat format = HalfFloat.values()[c % 2];
            HalfArithmetic arithmetic = HalfArithmetic.values()[(c / 2) % 2];
            short[][] halfOne = HalfKernelEqualityTest.run(rc, one.withHalfArithmetic(arithmetic), format);
            short[][] halfMany = HalfKernelEqualityTest.run(rc, many.withHalfArithmetic(arithmetic), format);
            assertArrayEquals(halfOne[0], halfMany[0], what + " " + format + " " + arithmetic);
            assertArrayEquals(halfOne[1], halfMany[1], what + " " + format + " " + arithmetic);
        }
    }

    @Test
    void confinedSegmentsAreRejectedBeforeAnyWrite() {
        RotaryFrequencies f = TestFrequencies.defaults(8, 8, RopeLayout.HALF, 1e4);
        RotaryEmbedding rope = RotaryEmbedding.of(CosSinCache.of(f, 0, 16)).withExecutor(pool, 2);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = arena.allocate(4L * 4 * 8, 4);
            q.fill((byte) 1);
            byte[] before = q.toArray(ValueLayout.JAVA_BYTE);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> rope.applyToQueries(RopePositions.startingAt(0), 4, q, HeadStrides.tokenMajor(1, 8)));
            assertEquals("query: the segment is confined to this thread, but the call runs on an executor; "
                    + "allocate it from a shared or global arena", e.getMessage());
            assertArrayEquals(before, q.toArray(ValueLayout.JAVA_BYTE));
        }
        assertThrows(IllegalArgumentException.class, () -> rope.withExecutor(pool, 0));
    }

    private static float[][] runOnSharedSegments(RandomRopeCase rc, RotaryEmbedding rope) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment q = copy(arena, rc.query);
            MemorySegment k = rc.fused ? q : copy(arena, rc.key);
            rope.apply(rc.positions, rc.tokens, q, rc.queryStrides, k, rc.keyStrides);
            float[] qOut = q.toArray(ValueLayout.JAVA_FLOAT);
            return new float[][] {qOut, rc.fused ? qOut : k.toArray(ValueLayout.JAVA_FLOAT)};
        }
    }

    private static MemorySegment copy(Arena arena, float[] x) {
        MemorySegment s = arena.allocate((long) x.length * Float.BYTES, Float.BYTES);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT, 0, x.length);
        return s;
    }
}
