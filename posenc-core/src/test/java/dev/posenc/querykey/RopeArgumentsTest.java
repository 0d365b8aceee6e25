package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Calls that cannot be right fail with a one-line {@link IllegalArgumentException}, before anything is written. */
class RopeArgumentsTest {
    private static final RotaryFrequencies F = TestFrequencies.defaults(8, 8, RopeLayout.HALF, 1e4);
    private static final RotaryEmbedding ROPE = RotaryEmbedding.of(CosSinCache.of(F, 0, 16));

    private static String fails(Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void bufferTooSmallForTheHeads() {
        float[] q = new float[2 * 4 * 8 - 1];
        float[] k = new float[2 * 8];
        String m = fails(() -> ROPE.apply(RopePositions.startingAt(0), 2, q, HeadStrides.tokenMajor(4, 8), k,
                HeadStrides.tokenMajor(1, 8)));
        assertTrue(m.startsWith("query: 2 tokens x 4 heads of 8"), m);
        assertTrue(m.endsWith("need 64 floats, the buffer has 63"), m);
    }

    @Test
    void overlappingHeads() {
        float[] q = new float[1000];
        String m = fails(() -> ROPE.applyToQueries(RopePositions.startingAt(0), 2, q, new HeadStrides(4, 0, 32, 4)));
        assertEquals("query: head_stride=4 is less than head_dim=8, so heads overlap", m);
        m = fails(() -> ROPE.applyToKeys(RopePositions.startingAt(0), 3, q, new HeadStrides(4, 0, 16, 8)));
        assertTrue(m.startsWith("key: token_stride=16 and head_stride=8 make heads of different tokens overlap"), m);
    }

    @Test
    void negativeAndOutOfRangePositions() {
        assertEquals("start position must be >= 0, got -1", fails(() -> RopePositions.startingAt(-1)));
        assertEquals("positions[1] must be >= 0, got -5", fails(() -> RopePositions.of(3, -5)));
        assertEquals("position_ids axis 1[0] must be >= 0, got -2",
                fails(() -> RopePositions.axes(new int[] {1}, new int[] {-2}, new int[] {3})));
        float[] q = new float[3 * 8];
        float[] before = q.clone();
        q[0] = 1;
        before[0] = 1;
        String m = fails(() -> ROPE.applyToQueries(RopePositions.of(4, 9, 16), 3, q, HeadStrides.tokenMajor(1, 8)));
        assertEquals("positions [4, 16] are outside the cos/sin cache's range [0, 16)", m);
        assertArrayEquals(before, q, "nothing is rotated when a later position is bad");
        assertEquals("position must be >= 0, got -1", fails(() -> CosSinOnTheFly.of(F).row(-1, new float[8], 0)));
        fails(() -> ROPE.applyToQueries(RopePositions.startingAt(Integer.MAX_VALUE), 2, new float[16],
                HeadStrides.tokenMajor(1, 8)));
    }

    @Test
    void positionsThatDoNotMatchTheCall() {
        float[] q = new float[4 * 8];
        assertEquals("got 3 positions per axis for a call of 4 tokens",
                fails(() -> ROPE.applyToQueries(RopePositions.of(0, 1, 2), 4, q, HeadStrides.tokenMajor(1, 8))));
        assertTrue(fails(() -> ROPE.applyToQueries(RopePositions.axes(new int[4], new int[4], new int[4]), 4, q,
                HeadStrides.tokenMajor(1, 8))).startsWith("got position_ids with 3 axes for single-axis RoPE"));
        RotaryEmbedding mrope = ROPE.withAxes(RotaryAxes.mrope(1, 2, 1));
        assertEquals("got position_ids with 2 axes, the rotary axes use 3", fails(() -> mrope.applyToQueries(
                RopePositions.axes(new int[4], new int[4]), 4, q, HeadStrides.tokenMajor(1, 8))));
        assertEquals("tokens must be >= 0, got -1",
                fails(() -> ROPE.applyToQueries(RopePositions.startingAt(0), -1, q, HeadStrides.tokenMajor(1, 8))));
    }

    @Test
    void axesAndXPosThatDoNotFitTheFrequencies() {
        assertEquals("RotaryAxes[mrope[2, 2, 2]] describes 6 pairs, but rotary_dim/2 = 4",
                fails(() -> ROPE.withAxes(RotaryAxes.mrope(2, 2, 2))));
        assertEquals("xPos is defined for one position axis, not for RotaryAxes[row_column[4]]",
                fails(() -> ROPE.withAxes(RotaryAxes.rowColumn(4)).withXPos(new XPos(512, 0))));
        assertEquals("interleaved mrope_section must have 3 entries [t, h, w], got [2, 2]",
                fails(() -> RotaryAxes.mropeInterleaved(2, 2)));
        assertEquals("mrope_section entries must be >= 0, got [2, -1, 3]", fails(() -> RotaryAxes.mrope(2, -1, 3)));
        assertEquals("row/column RoPE needs an even number of pairs >= 2, got 3", fails(() -> RotaryAxes.rowColumn(3)));
        assertEquals("xPos scale_base must be finite and > 0, got 0.0", fails(() -> new XPos(0, 0)));
    }

    @Test
    void badStridesAndCaches() {
        assertEquals("heads must be >= 1, got 0", fails(() -> new HeadStrides(0, 0, 8, 8)));
        assertEquals("offset and strides must be >= 0, got offset=-1, token_stride=8, head_stride=8",
                fails(() -> new HeadStrides(1, -1, 8, 8)));
        assertEquals("cos/sin cache range must satisfy 0 <= start < end, got [5, 5)", fails(() -> CosSinCache.of(F, 5, 5)));
        assertTrue(fails(() -> CosSinCache.of(TestFrequencies.defaults(256, 256, RopeLayout.HALF, 1e4), 0,
                Integer.MAX_VALUE)).endsWith("use CosSinOnTheFly for contexts this long"));
        assertEquals("a cos/sin row of 8 floats does not fit at offset 1 of an array of 8",
                fails(() -> CosSinOnTheFly.of(F).row(0, new float[8], 1)));
    }

    @Test
    void segmentsThatCannotHoldFloats() {
        MemorySegment bytes = MemorySegment.ofArray(new byte[64]);
        assertEquals("query: the segment must be aligned to 4 bytes (JAVA_FLOAT), its alignment is 1",
                fails(() -> ROPE.applyToQueries(RopePositions.startingAt(0), 1, bytes, HeadStrides.tokenMajor(1, 8))));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment readOnly = arena.allocate(64, 4).asReadOnly();
            assertEquals("key: the segment is read-only", fails(() -> ROPE.applyToKeys(RopePositions.startingAt(0), 1,
                    readOnly, HeadStrides.tokenMajor(1, 8))));
            MemorySegment small = arena.allocate(28, 4);
            assertTrue(fails(() -> ROPE.applyToKeys(RopePositions.startingAt(0), 1, small,
                    HeadStrides.tokenMajor(1, 8))).endsWith("need 8 floats, the buffer has 7"));
        }
    }

    /**
     * A key that cannot be written fails the call before the query is touched (and the other way round): both are
     * bit-identical to before.
     */
    @Test
    void aSegmentThatCannotBeWrittenFailsBeforeAnythingIsRotated() throws Exception {
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try (Arena arena = Arena.ofConfined()) {
            Arena closed = Arena.ofConfined();
            MemorySegment dead = closed.allocate(ValueLayout.JAVA_FLOAT, 2 * 8);
            closed.close();
            Arena foreign = owner.submit(Arena::ofConfined).get();
            MemorySegment elsewhere = owner.submit(() -> foreign.allocate(ValueLayout.JAVA_FLOAT, 2 * 8)).get();
            MemorySegment readOnly = arena.allocate(ValueLayout.JAVA_FLOAT, 2 * 8).asReadOnly();
            MemorySegment small = arena.allocate(ValueLayout.JAVA_FLOAT, 2 * 8 - 1);
            try {
                Function<MemorySegment, String> asKey = bad -> {
                    MemorySegment q = filled(arena, 2 * 8);
                    float[] before = q.toArray(ValueLayout.JAVA_FLOAT);
                    String m = fails(() -> ROPE.apply(RopePositions.startingAt(0), 2, q, HeadStrides.tokenMajor(1, 8),
                            bad, HeadStrides.tokenMajor(1, 8)));
                    assertArrayEquals(before, q.toArray(ValueLayout.JAVA_FLOAT), m);
                    return m;
                };
                Function<MemorySegment, String> asQuery = bad -> {
                    MemorySegment k = filled(arena, 2 * 8);
                    float[] before = k.toArray(ValueLayout.JAVA_FLOAT);
                    String m = fails(() -> ROPE.apply(RopePositions.startingAt(0), 2, bad, HeadStrides.tokenMajor(1, 8),
                            k, HeadStrides.tokenMajor(1, 8)));
                    assertArrayEquals(before, k.toArray(ValueLayout.JAVA_FLOAT), m);
                    return m;
                };
                assertEquals("key: the segment's arena is closed", asKey.apply(dead));
                assertEquals("query: the segment's arena is closed", asQuery.apply(dead));
                assertTrue(asKey.apply(elsewhere).startsWith("key: the segment is confined to another thread"));
                assertTrue(asQuery.apply(elsewhere).startsWith("query: the segment is confined to another thread"));
                assertEquals("key: the segment is read-only", asKey.apply(readOnly));
                assertTrue(asKey.apply(small).endsWith("need 16 floats, the buffer has 15"));
                assertTrue(asQuery.apply(small).startsWith("query: 2 tokens"));
                float[] owned = owner.submit(() -> elsewhere.toArray(ValueLayout.JAVA_FLOAT)).get();
                assertArrayEquals(new float[2 * 8], owned, "the other thread's segment is untouched");
            } finally {
                owner.submit(foreign::close).get();
            }
        } finally {
            owner.shutdown();
        }
    }

    @Test
    void anArrayKeyThatDoesNotFitFailsBeforeTheQueryIsRotated() {
        float[] q = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        float[] k = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        float[] qBefore = q.clone();
        float[] kBefore = k.clone();
        fails(() -> ROPE.apply(RopePositions.startingAt(1), 2, q, HeadStrides.tokenMajor(1, 8), k,
                HeadStrides.tokenMajor(1, 8)));
        assertArrayEquals(qBefore, q);
        assertArrayEquals(kBefore, k);
    }

    private static MemorySegment filled(Arena arena, int floats) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, floats);
        for (int i = 0; i < floats; i++) {
            s.setAtIndex(ValueLayout.JAVA_FLOAT, i, 0.5f + i);
        }
        return s;
    }

    @Test
    void zeroTokensIsANoOp() {
        float[] q = {1, 2, 3, 4, 5, 6, 7, 8};
        ROPE.applyToQueries(RopePositions.startingAt(0), 0, q, HeadStrides.tokenMajor(1, 8));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, q);
    }
}
