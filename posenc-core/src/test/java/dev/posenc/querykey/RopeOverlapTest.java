package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Query and key that share a float are rejected before anything is written (each shared float would be rotated
 * twice); query and key that only interleave in one buffer, as in a fused QKV projection, are rotated exactly as
 * if they were separate buffers. The rule is decided element by element: {@link #overlapMatchesTheElementSets}
 * holds it equal to a brute-force comparison of the two sets of rotated floats.
 */
class RopeOverlapTest {
    private static final int HEAD_DIM = 8;
    private static final RotaryFrequencies F = TestFrequencies.defaults(HEAD_DIM, HEAD_DIM, RopeLayout.HALF, 1e4);
    private static final RotaryEmbedding ROPE = RotaryEmbedding.of(CosSinCache.of(F, 0, 64));
    private static final long SEED = 0x0FE2_1A9L;
    private static final int CASES = 3000;

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 0.25f * (i + 1);
        }
        return x;
    }

    /** Rejected with a message naming what overlaps, and the buffer bit-identical to before. */
    private static String rejected(float[] buffer, Runnable call) {
        float[] before = buffer.clone();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertArrayEquals(before, buffer, "nothing is written by a rejected call");
        assertTrue(e.getMessage().startsWith("query and key overlap: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theSameArrayWithTheSameStrides() {
        float[] x = ramp(3 * 2 * HEAD_DIM);
        HeadStrides s = HeadStrides.tokenMajor(2, HEAD_DIM);
        assertEquals("query and key overlap: query token 0 head 0 and key token 0 head 0 share floats of their first "
                + "8 columns (the same array), which would be rotated twice",
                rejected(x, () -> ROPE.apply(RopePositions.startingAt(0), 3, x, s, x, s)));
    }

    @Test
    void overlappingRangesOfOneArray() {
        float[] x = ramp(4 * 4 * HEAD_DIM);
        HeadStrides q = HeadStrides.tokenMajor(4, HEAD_DIM);
        // the key starts at the query's head 3 of token 0
        HeadStrides k = new HeadStrides(1, 3 * HEAD_DIM, 4 * HEAD_DIM, HEAD_DIM);
        String m = rejected(x, () -> ROPE.apply(RopePositions.startingAt(0), 3, x, q, x, k));
        assertTrue(m.startsWith("query and key overlap: query token 0 head 3 and key token 0 head 0"), m);
        // a key head that covers the last 4 floats of the query's token 2 (floats [16, 24)) and 4 more
        float[] y = ramp(44);
        HeadStrides q1 = new HeadStrides(1, 0, HEAD_DIM, 0);
        HeadStrides late = new HeadStrides(1, 20, HEAD_DIM, 0);
        m = rejected(y, () -> ROPE.apply(RopePositions.startingAt(0), 3, y, q1, y, late));
        assertTrue(m.startsWith("query and key overlap: query token 2 head 0 and key token 0 head 0"), m);
    }

    @Test
    void fusedQkvTokenMajorWithGroupedQueryAttention() {
        int tokens = 5;
        int h = 4;
        int kv = 2;
        int width = (h + 2 * kv) * HEAD_DIM;
        float[] fused = ramp(tokens * width);
        HeadStrides q = new HeadStrides(h, 0, width, HEAD_DIM);
        HeadStrides k = new HeadStrides(kv, (long) h * HEAD_DIM, width, HEAD_DIM);
        rotatesAsSeparateBuffers(fused, tokens, q, k);
    }

    @Test
    void fusedQkvHeadMajorWithGroupedQueryAttention() {
        int tokens = 5;
        int h = 4;
        int kv = 1;
        float[] fused = ramp((h + 2 * kv) * tokens * HEAD_DIM);
        HeadStrides q = HeadStrides.headMajor(h, tokens, HEAD_DIM);
        HeadStrides k = HeadStrides.headMajor(kv, tokens, HEAD_DIM).withOffset((long) h * tokens * HEAD_DIM);
        rotatesAsSeparateBuffers(fused, tokens, q, k);
    }

    @Test
    void headsThatAlternateWithinEachToken() {
        // query heads in the even slots, key heads in the odd ones: the ranges overlap, the floats do not
        int tokens = 3;
        float[] x = ramp(tokens * 4 * HEAD_DIM);
        HeadStrides q = new HeadStrides(2, 0, 4 * HEAD_DIM, 2 * HEAD_DIM);
        HeadStrides k = q.withOffset(HEAD_DIM);
        rotatesAsSeparateBuffers(x, tokens, q, k);
    }

    @Test
    void onlyTheRotatedColumnsCount() {
        // partial rotary (rotary_dim 4 of head_dim 8): the key's heads start in the query heads' unrotated half
        RotaryFrequencies partial = TestFrequencies.defaults(HEAD_DIM, 4, RopeLayout.HALF, 1e4);
        RotaryEmbedding rope = RotaryEmbedding.of(CosSinCache.of(partial, 0, 64));
        int tokens = 3;
        float[] x = ramp(tokens * 2 * HEAD_DIM + 4);
        HeadStrides q = new HeadStrides(1, 0, 2 * HEAD_DIM, HEAD_DIM);
        HeadStrides k = q.withOffset(4);
        float[] expectedQ = x.clone();
        float[] expectedK = x.clone();
        rope.applyToQueries(RopePositions.startingAt(0), tokens, expectedQ, q);
        rope.applyToKeys(RopePositions.startingAt(0), tokens, expectedK, k);
        rope.apply(RopePositions.startingAt(0), tokens, x, q, x, k);
        for (int t = 0; t < tokens; t++) {
            for (int c = 0; c < 4; c++) {
                assertEquals(expectedQ[t * 2 * HEAD_DIM + c], x[t * 2 * HEAD_DIM + c]);
                assertEquals(expectedK[t * 2 * HEAD_DIM + 4 + c], x[t * 2 * HEAD_DIM + 4 + c]);
            }
        }
        // with the full head rotated, the same strides share floats
        float[] y = ramp(tokens * 2 * HEAD_DIM + 4);
        rejected(y, () -> ROPE.apply(RopePositions.startingAt(0), tokens, y, q, y, k));
    }

    /** Query and key in one buffer end exactly as each rotated alone: no float was rotated twice or missed. */
    private static void rotatesAsSeparateBuffers(float[] fused, int tokens, HeadStrides q, HeadStrides k) {
        float[] expected = fused.clone();
        ROPE.applyToQueries(RopePositions.startingAt(3), tokens, expected, q);
        ROPE.applyToKeys(RopePositions.startingAt(3), tokens, expected, k);
        float[] arrayResult = fused.clone();
        ROPE.apply(RopePositions.startingAt(3), tokens, arrayResult, q, arrayResult, k);
        assertArrayEquals(expected, arrayResult);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(ValueLayout.JAVA_FLOAT, fused.length);
            MemorySegment.copy(fused, 0, segment, ValueLayout.JAVA_FLOAT, 0, fused.length);
            ROPE.apply(RopePositions.startingAt(3), tokens, segment, q, segment, k);
            assertArrayEquals(expected, segment.toArray(ValueLayout.JAVA_FLOAT));
        }
    }

    @Test
    void segmentsThatViewTheSameNativeMemory() {
        HeadStrides s = HeadStrides.tokenMajor(2, HEAD_DIM);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = arena.allocate(ValueLayout.JAVA_FLOAT, 4 * 2 * HEAD_DIM);
            MemorySegment.copy(ramp(4 * 2 * HEAD_DIM), 0, q, ValueLayout.JAVA_FLOAT, 0, 4 * 2 * HEAD_DIM);
            float[] before = q.toArray(ValueLayout.JAVA_FLOAT);
            // the same segment; a slice one head further; a second segment over the same addresses (another scope)
            MemorySegment slice = q.asSlice(HEAD_DIM * Float.BYTES);
            MemorySegment alias = MemorySegment.ofAddress(q.address()).reinterpret(q.byteSize());
            for (MemorySegment k : new MemorySegment[] {q, slice, alias}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> ROPE.apply(RopePositions.startingAt(0), 2, q, s, k, HeadStrides.tokenMajor(1, HEAD_DIM)));
                assertTrue(e.getMessage().startsWith("query and key overlap: query token 0 head "), e.getMessage());
                assertTrue(e.getMessage().contains("(the same memory)"), e.getMessage());
                assertArrayEquals(before, q.toArray(ValueLayout.JAVA_FLOAT));
            }
            // a slice past the query's last float is separate memory
            MemorySegment after = arena.allocate(ValueLayout.JAVA_FLOAT, 2 * HEAD_DIM);
            ROPE.apply(RopePositions.startingAt(0), 2, q.asSlice(0, 2 * 2 * HEAD_DIM * Float.BYTES), s,
                    q.asSlice(2 * 2 * HEAD_DIM * Float.BYTES), HeadStrides.tokenMajor(1, HEAD_DIM));
            ROPE.apply(RopePositions.startingAt(0), 2, q, s, after, HeadStrides.tokenMajor(1, HEAD_DIM));
        }
    }

    @Test
    void heapSegmentsOfTheSameArray() {
        float[] x = ramp(5 * HEAD_DIM);
        HeadStrides one = HeadStrides.tokenMajor(1, HEAD_DIM);
        MemorySegment first = MemorySegment.ofArray(x);
        MemorySegment again = MemorySegment.ofArray(x).asSlice(2 * HEAD_DIM * Float.BYTES);
        String m = rejected(x, () -> ROPE.apply(RopePositions.startingAt(0), 3, first, one, again, one));
        assertEquals("query and key overlap: query token 2 head 0 and key token 0 head 0 share floats of their first "
                + "8 columns (the same array), which would be rotated twice", m);
        float[] y = x.clone();
        ROPE.apply(RopePositions.startingAt(0), 2, first, one, MemorySegment.ofArray(y), one);
    }

    /**
     * Random strides and offsets of query and key in one buffer: the call is rejected exactly when some float lies
     * in the rotated columns of a query head and of a key head.
     */
    @Test
    void overlapMatchesTheElementSets() {
        Random random = new Random(SEED);
        int rejectedCases = 0;
        for (int c = 0; c < CASES; c++) {
            int tokens = 1 + random.nextInt(4);
            HeadStrides q = randomStrides(random, tokens);
            HeadStrides k = randomStrides(random, tokens);
            int length = (int) Math.max(end(q, tokens), end(k, tokens));
            boolean shared = shareAFloat(q, k, tokens, length);
            float[] x = ramp(length);
            float[] before = x.clone();
            try {
                ROPE.apply(RopePositions.startingAt(0), tokens, x, q, x, k);
                assertTrue(!shared, () -> q + " and " + k + " share a float but were accepted");
            } catch (IllegalArgumentException e) {
                assertTrue(shared, () -> q + " and " + k + " were rejected: " + e.getMessage());
                assertArrayEquals(before, x);
                rejectedCases++;
            }
        }
        assertTrue(rejectedCases > CASES / 10 && rejectedCases < CASES * 9 / 10,
                "both outcomes are exercised: " + rejectedCases + " of " + CASES + " rejected");
    }

    /** Valid strides for {@code tokens} tokens (nested, non-overlapping heads), either dimension inside. */
    private static HeadStrides randomStrides(Random random, int tokens) {
        int heads = 1 + random.nextInt(3);
        long gap = random.nextInt(3) * 4L;
        long inner = HEAD_DIM + gap;
        long offset = random.nextInt(6 * HEAD_DIM);
        if (random.nextBoolean()) {
            return new HeadStrides(heads, offset, heads * inner + random.nextInt(2) * HEAD_DIM, inner);
        }
        return new HeadStrides(heads, offset, inner, tokens * inner + random.nextInt(2) * HEAD_DIM);
    }

    private static long end(HeadStrides s, int tokens) {
        return s.offset() + (tokens - 1) * s.tokenStride() + (s.heads() - 1) * s.headStride() + HEAD_DIM;
    }

    private static boolean shareAFloat(HeadStrides q, HeadStrides k, int tokens, int length) {
        int[] uses = new int[length];
        for (HeadStrides s : new HeadStrides[] {q, k}) {
            for (int t = 0; t < tokens; t++) {
                for (int h = 0; h < s.heads(); h++) {
                    for (int c = 0; c < HEAD_DIM; c++) {
                        uses[(int) (s.offset() + t * s.tokenStride() + h * s.headStride() + c)]++;
                    }
                }
            }
        }
        for (int u : uses) {
            if (u > 1) {
                return true;
            }
        }
        return false;
    }
}
