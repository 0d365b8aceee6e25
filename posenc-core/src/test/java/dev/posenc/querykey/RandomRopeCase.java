package dev.posenc.querykey;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * One random call of {@link RotaryEmbedding#apply}: geometry (layout, head_dim, partial rotary_dim, query and key
 * head counts, tokens), memory layout (token-major, head-major, or one fused QKV buffer, with random offsets and
 * padding), positions (consecutive from a random offset, or explicit), the cos/sin source, and optionally
 * multi-axis positions or xPos. {@link #run} applies a {@link RotaryEmbedding} to fresh copies of the same inputs.
 */
final class RandomRopeCase {
    final long seed;
    final RotaryFrequencies frequencies;
    final int tokens;
    final HeadStrides queryStrides;
    final HeadStrides keyStrides;
    /** Query and key live in one buffer (fused QKV) when true. */
    final boolean fused;
    final float[] query;
    final float[] key;
    final RopePositions positions;
    final CosSinSource cosSin;
    final RotaryAxes axes;
    final XPos xPos;

    private RandomRopeCase(long seed) {
        this.seed = seed;
        SplittableRandom r = new SplittableRandom(seed);
        RopeLayout layout = r.nextBoolean() ? RopeLayout.HALF : RopeLayout.INTERLEAVED;
        int headDim = 2 * (1 + r.nextInt(r.nextBoolean() ? 8 : 80));
        int rotaryDim = r.nextInt(3) == 0 ? 2 * (1 + r.nextInt(headDim / 2)) : headDim;
        double theta = new double[] {1e4, 5e5, 1e6}[r.nextInt(3)];
        double scaling = r.nextInt(4) == 0 ? 1 + r.nextDouble() : 1.0;
        frequencies = new RotaryFrequencies(headDim, rotaryDim, layout, TestFrequencies.invFreq(rotaryDim, theta),
                scaling);
        int keyHeads = 1 + r.nextInt(4);
        int queryHeads = keyHeads * (1 + r.nextInt(4));
        // past RotaryEmbedding's block of 64 tokens now and then
        tokens = 1 + r.nextInt(r.nextInt(4) == 0 ? 150 : r.nextBoolean() ? 3 : 40);
        int style = r.nextInt(3);
        long pad = r.nextInt(3) == 0 ? r.nextInt(1, 9) : 0;
        long offset = r.nextInt(3) == 0 ? r.nextInt(1, 17) : 0;
        if (style == 0) {
            queryStrides = new HeadStrides(queryHeads, offset, queryHeads * (headDim + pad), headDim + pad);
            keyStrides = new HeadStrides(keyHeads, offset, keyHeads * (headDim + pad), headDim + pad);
        } else if (style == 1) {
            queryStrides = new HeadStrides(queryHeads, offset, headDim, tokens * (long) headDim + pad);
            keyStrides = new HeadStrides(keyHeads, offset, headDim, tokens * (long) headDim + pad);
        } else {
            long row = (queryHeads + 2L * keyHeads) * headDim + pad;
            queryStrides = new HeadStrides(queryHeads, offset, row, headDim);
            keyStrides = new HeadStrides(keyHeads, offset + (long) queryHeads * headDim, row, headDim);
        }
        fused = style == 2;
        int queryEnd = fused ? Math.max(end(queryStrides, headDim), end(keyStrides, headDim)) : end(queryStrides, headDim);
        query = randomBuffer(r, queryEnd + r.nextInt(3));
        key = fused ? query : randomBuffer(r, end(keyStrides, headDim) + r.nextInt(3));

        int maxPosition = r.nextBoolean() ? 4096 : 20_000_000;
        int kind = r.nextInt(8);
        if (kind == 0 && frequencies.pairs() >= 2 && frequencies.pairs() % 2 == 0) {
            axes = RotaryAxes.rowColumn(frequencies.pairs());
        } else if (kind == 1) {
            axes = RotaryAxes.mrope(randomSections(r, frequencies.pairs()));
        } else if (kind == 2) {
            axes = RotaryAxes.mropeInterleaved(randomSections(r, frequencies.pairs()));
        } else {
            axes = null;
        }
        xPos = axes == null && kind == 3 && maxPosition == 4096 ? new XPos(r.nextInt(256, 1024), r.nextInt(0, 4096))
                : null;
        if (axes != null) {
            int[][] ids = new int[axes.axes()][tokens];
            for (int[] axis : ids) {
                for (int t = 0; t < tokens; t++) {
                    axis[t] = r.nextInt(maxPosition);
                }
            }
            positions = RopePositions.axes(ids);
        } else if (r.nextBoolean()) {
            positions = RopePositions.startingAt(r.nextInt(maxPosition - tokens));
        } else {
            int[] explicit = new int[tokens];
            for (int t = 0; t < tokens; t++) {
                explicit[t] = r.nextInt(maxPosition);
            }
            positions = RopePositions.of(explicit);
        }
        RotaryPrecision precision = r.nextInt(4) == 0 ? RotaryPrecision.HF_FLOAT32 : RotaryPrecision.EXACT;
        cosSin = r.nextBoolean() && maxPosition <= 4096
                ? CosSinCache.of(frequencies, 0, maxPosition, precision)
                : CosSinOnTheFly.of(frequencies, precision);
    }

    static RandomRopeCase of(long seed) {
        return new RandomRopeCase(seed);
    }

    private static int[] randomSections(SplittableRandom r, int pairs) {
        int a = r.nextInt(pairs + 1);
        int b = r.nextInt(pairs - a + 1);
        return new int[] {a, b, pairs - a - b};
    }

    private int end(HeadStrides s, int headDim) {
        return (int) (s.offset() + (tokens - 1) * s.tokenStride() + (s.heads() - 1) * s.headStride() + headDim);
    }

    private static float[] randomBuffer(SplittableRandom r, int length) {
        float[] x = new float[length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble(-4, 4));
        }
        return x;
    }

    /** The embedding this case describes, with the given kernel. */
    RotaryEmbedding embedding(RopeKernel kernel) {
        RotaryEmbedding e = RotaryEmbedding.of(cosSin).withKernel(kernel);
        if (axes != null) {
            e = e.withAxes(axes);
        }
        if (xPos != null) {
            e = e.withXPos(xPos);
        }
        return e;
    }

    /** Rotated copies {@code {query, key}} (the same array twice when fused), through {@code float[]}. */
    float[][] run(RotaryEmbedding e) {
        float[] q = query.clone();
        float[] k = fused ? q : key.clone();
        e.apply(positions, tokens, q, queryStrides, k, keyStrides);
        return new float[][] {q, k};
    }

    /** Rotated copies through native {@code MemorySegment}s. */
    float[][] runOnSegments(RotaryEmbedding e) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment q = copy(arena, query);
            MemorySegment k = fused ? q : copy(arena, key);
            e.apply(positions, tokens, q, queryStrides, k, keyStrides);
            float[] qOut = q.toArray(ValueLayout.JAVA_FLOAT);
            return new float[][] {qOut, fused ? qOut : k.toArray(ValueLayout.JAVA_FLOAT)};
        }
    }

    private static MemorySegment copy(Arena arena, float[] x) {
        MemorySegment s = arena.allocate((long) x.length * Float.BYTES, Float.BYTES);
        MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT, 0, x.length);
        return s;
    }

    @Override
    public String toString() {
        return "seed=" + seed + " " + frequencies.layout() + " head_dim=" + frequencies.headDim() + " rotary_dim="
                + frequencies.rotaryDim() + " q=" + queryStrides + " k=" + keyStrides + " fused=" + fused
                + " tokens=" + tokens + " " + positions + " " + cosSin.getClass().getSimpleName() + "/"
                + cosSin.precision() + (axes == null ? "" : " " + axes) + (xPos == null ? "" : " " + xPos);
    }
}
