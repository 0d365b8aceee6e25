package dev.posenc.querykey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernel equals the scalar reference, and the {@code MemorySegment} path equals the {@code float[]}
 * path: <b>0 ulps</b>, bit for bit. Both kernels evaluate {@code x0*cos - x1*sin} and {@code x1*cos + x0*sin} with
 * the same float operations in the same order and no FMA, so exact equality is the right tolerance. Cases cover
 * both layouts, partial rotary, GQA head counts, token-major, head-major and fused QKV strides with offsets and
 * padding, consecutive and explicit positions up to 2·10^7, cached and on-the-fly cos/sin in both precisions,
 * M-RoPE (contiguous and interleaved), row/column 2-D positions, and xPos.
 */
class KernelEqualityTest {
    private static final long SEED = 0xC0FFEEL;
    private static final int CASES = 600;

    private static RopeKernel vector() {
        return RopeKernel.vector().orElseThrow(() -> new AssertionError(
                "the tests run with --add-modules jdk.incubator.vector (surefire argLine); the vector kernel is missing"));
    }

    @Test
    void vectorKernelEqualsScalarKernel() {
        SplittableRandom seeds = new SplittableRandom(SEED);
        for (int c = 0; c < CASES; c++) {
            RandomRopeCase rc = RandomRopeCase.of(seeds.nextLong());
            float[][] scalar = rc.run(rc.embedding(RopeKernel.scalar()));
            float[][] vector = rc.run(rc.embedding(vector()));
            assertArrayEquals(RopePropertyTest.bits(scalar[0]), RopePropertyTest.bits(vector[0]), rc + " (query)");
            assertArrayEquals(RopePropertyTest.bits(scalar[1]), RopePropertyTest.bits(vector[1]), rc + " (key)");
        }
    }

    @Test
    void segmentPathEqualsArrayPathForBothKernels() {
        SplittableRandom seeds = new SplittableRandom(SEED + 1);
        for (int c = 0; c < CASES / 2; c++) {
            RandomRopeCase rc = RandomRopeCase.of(seeds.nextLong());
            for (RopeKernel kernel : new RopeKernel[] {RopeKernel.scalar(), vector()}) {
                float[][] array = rc.run(rc.embedding(kernel));
                float[][] segment = rc.runOnSegments(rc.embedding(kernel));
                assertArrayEquals(RopePropertyTest.bits(array[0]), RopePropertyTest.bits(segment[0]),
                        rc + " " + kernel + " (query)");
                assertArrayEquals(RopePropertyTest.bits(array[1]), RopePropertyTest.bits(segment[1]),
                        rc + " " + kernel + " (key)");
            }
        }
    }

    /** A heap segment over a float[] is rotated like the array itself. */
    @Test
    void heapSegmentEqualsArray() {
        RandomRopeCase rc = RandomRopeCase.of(42);
        float[][] array = rc.run(rc.embedding(vector()));
        float[] q = rc.query.clone();
        float[] k = rc.fused ? q : rc.key.clone();
        rc.embedding(vector()).apply(rc.positions, rc.tokens, MemorySegment.ofArray(q), rc.queryStrides,
                MemorySegment.ofArray(k), rc.keyStrides);
        assertArrayEquals(RopePropertyTest.bits(array[0]), RopePropertyTest.bits(q), rc.toString());
        assertArrayEquals(RopePropertyTest.bits(array[1]), RopePropertyTest.bits(k), rc.toString());
    }

    /** The engine shape of the benchmark, both layouts: 32 query heads, 8 key heads, head_dim 128, 64 tokens. */
    @Test
    void vectorKernelEqualsScalarKernelOnTheBenchmarkShape() {
        for (RopeLayout layout : RopeLayout.values()) {
            RotaryFrequencies f = TestFrequencies.defaults(128, 128, layout, 5e5);
            SplittableRandom r = new SplittableRandom(7);
            int tokens = 64;
            float[] q = RopePropertyTest.random(r, tokens * 32 * 128);
            float[] k = RopePropertyTest.random(r, tokens * 8 * 128);
            float[][] out = new float[2][];
            int i = 0;
            for (RopeKernel kernel : new RopeKernel[] {RopeKernel.scalar(), vector()}) {
                float[] qc = q.clone();
                float[] kc = k.clone();
                RotaryEmbedding.of(CosSinCache.of(f, 0, 8192)).withKernel(kernel).apply(RopePositions.startingAt(4000),
                        tokens, qc, HeadStrides.tokenMajor(32, 128), kc, HeadStrides.tokenMajor(8, 128));
                out[i++] = concat(qc, kc);
            }
            assertArrayEquals(RopePropertyTest.bits(out[0]), RopePropertyTest.bits(out[1]), layout.toString());
        }
    }

    /**
     * head_dim 128 on a native segment laid out as a fused QKV buffer ({@code [tokens][32 q + 8 k + 8 v heads][128]}):
     * the segment loops for 128 rotate each head through a slice of its own span, so the token stride, the key's
     * offset and the untouched value heads between them are what this checks, against the scalar kernel on an
     * array; both layouts.
     */
    @Test
    void fusedQkvSegmentOfHeadDim128MatchesTheScalarKernel() {
        int tokens = 5;
        int perToken = (32 + 8 + 8) * 128;
        HeadStrides query = new HeadStrides(32, 0, perToken, 128);
        HeadStrides key = new HeadStrides(8, 32 * 128, perToken, 128);
        for (RopeLayout layout : RopeLayout.values()) {
            RotaryFrequencies f = TestFrequencies.defaults(128, 128, layout, 1e6);
            float[] qkv = RopePropertyTest.random(new SplittableRandom(21), tokens * perToken);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = arena.allocate(4L * qkv.length, 64);
                MemorySegment.copy(qkv, 0, s, ValueLayout.JAVA_FLOAT, 0, qkv.length);
                RotaryEmbedding rope = RotaryEmbedding.of(CosSinCache.of(f, 0, 64)).withKernel(vector());
                rope.apply(RopePositions.startingAt(40), tokens, s, query, s, key);
                rope.withKernel(RopeKernel.scalar()).apply(RopePositions.startingAt(40), tokens, qkv, query, qkv, key);
                assertArrayEquals(RopePropertyTest.bits(qkv), RopePropertyTest.bits(s.toArray(ValueLayout.JAVA_FLOAT)),
                        layout.toString());
            }
        }
    }

    /** The segment kernel reads and writes through JAVA_FLOAT at 4-byte-aligned native addresses; both layouts. */
    @Test
    void nativeSegmentsOfTheBenchmarkShapeMatch() {
        for (RopeLayout layout : RopeLayout.values()) {
            RotaryFrequencies f = TestFrequencies.defaults(128, 128, layout, 1e4);
            SplittableRandom r = new SplittableRandom(8);
            float[] q = RopePropertyTest.random(r, 3 * 32 * 128);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment s = arena.allocate(4L * q.length, 4);
                MemorySegment.copy(q, 0, s, ValueLayout.JAVA_FLOAT, 0, q.length);
                RotaryEmbedding rope = RotaryEmbedding.of(CosSinOnTheFly.of(f)).withKernel(vector());
                rope.applyToQueries(RopePositions.startingAt(9), 3, s, HeadStrides.tokenMajor(32, 128));
                rope.withKernel(RopeKernel.scalar())
                        .applyToQueries(RopePositions.startingAt(9), 3, q, HeadStrides.tokenMajor(32, 128));
                assertArrayEquals(RopePropertyTest.bits(q), RopePropertyTest.bits(s.toArray(ValueLayout.JAVA_FLOAT)),
                        layout.toString());
            }
        }
    }

    @Test
    void bestIsTheVectorKernelWhenTheModuleIsResolved() {
        assertEquals(vector(), RopeKernel.best());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
