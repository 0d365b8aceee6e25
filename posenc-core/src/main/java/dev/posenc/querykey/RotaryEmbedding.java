package dev.posenc.querykey;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Applies rotary position embedding to queries and keys, in place: Hugging Face's
 * {@code apply_rotary_pos_emb(q, k, cos, sin)} ({@code q*cos + rotate_half(q)*sin}, transformers
 * {@code modeling_llama.py}) for any {@link RopeLayout}, partial rotary, grouped-query attention, KV-cache offsets,
 * multi-axis positions ({@link RotaryAxes}) and xPos ({@link XPos}).
 *
 * <pre>{@code
 * RotaryEmbedding rope = RotaryEmbedding.of(CosSinCache.of(frequencies, 0, 8192));
 * // q: [tokens][32 heads][128], k: [tokens][8 heads][128]; the prompt is at positions 0..tokens-1
 * rope.apply(RopePositions.startingAt(0), tokens, q, HeadStrides.tokenMajor(32, 128), k, HeadStrides.tokenMajor(8, 128));
 * // one decoding step after n cached tokens
 * rope.apply(RopePositions.startingAt(n), 1, q1, HeadStrides.tokenMajor(32, 128), k1, HeadStrides.tokenMajor(8, 128));
 * }</pre>
 *
 * <p>What a call supports: any number of tokens; for each tensor its own head count and {@link HeadStrides}
 * (token-major, head-major, fused QKV, any offset), with each head's {@code head_dim} floats contiguous; query and
 * key rotated at the same positions with one cos/sin row per token, shared by all heads of both. Only the first
 * {@code rotary_dim} columns of each head change. Query and key may share a buffer (a fused QKV buffer) but must
 * not share a float: a call whose query and key heads share one (the same array or memory with the same or
 * overlapping strides, two views of the same memory) is rejected, as each such float would be rotated twice.
 *
 * <p>Arguments are checked before anything is written: a bad call throws {@link IllegalArgumentException} with a
 * one-line message and leaves both buffers unchanged. That covers the positions, each tensor's bounds and strides,
 * query/key overlap and, for segments, a closed arena, a segment confined to another thread, a read-only segment
 * and one not aligned for floats. A null argument throws {@link NullPointerException} naming the parameter.
 *
 * <p>Immutable and thread-safe; each call uses its own scratch space, so threads may rotate disjoint token ranges
 * of the same buffers concurrently (see {@link HeadStrides#withOffset}).
 */
public final class RotaryEmbedding {
    private final CosSinSource cosSin;
    private final RotaryAxes axes;
    private final XPos xPos;
    private final RopeKernel kernel;

    private RotaryEmbedding(CosSinSource cosSin, RotaryAxes axes, XPos xPos, RopeKernel kernel) {
        // axes and xPos: null means none (private; the public factories reject null)
        this.cosSin = Objects.requireNonNull(cosSin, "cosSin");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        if (axes != null && axes.pairs() != cosSin.frequencies().pairs()) {
            throw new IllegalArgumentException(axes + " describes " + axes.pairs() + " pairs, but rotary_dim/2 = "
                    + cosSin.frequencies().pairs());
        }
        if (axes != null && xPos != null) {
            throw new IllegalArgumentException("xPos is defined for one position axis, not for " + axes);
        }
        this.axes = axes;
        this.xPos = xPos;
    }

    /** Plain RoPE with the {@linkplain RopeKernel#best() best} kernel. */
    public static RotaryEmbedding of(CosSinSource cosSin) {
        return new RotaryEmbedding(cosSin, null, null, RopeKernel.best());
    }

    /** The same, with each pair following the position axis {@code axes} assigns it. */
    public RotaryEmbedding withAxes(RotaryAxes axes) {
        return new RotaryEmbedding(cosSin, Objects.requireNonNull(axes, "axes"), xPos, kernel);
    }

    /** The same, with xPos scaling of queries and keys. */
    public RotaryEmbedding withXPos(XPos xPos) {
        return new RotaryEmbedding(cosSin, axes, Objects.requireNonNull(xPos, "xPos"), kernel);
    }

    /** The same, with another kernel (to compare the scalar reference with the vector kernel). */
    public RotaryEmbedding withKernel(RopeKernel kernel) {
        return new RotaryEmbedding(cosSin, axes, xPos, kernel);
    }

    public CosSinSource cosSin() {
        return cosSin;
    }

    public RotaryFrequencies frequencies() {
        return cosSin.frequencies();
    }

    public RopeKernel kernel() {
        return kernel;
    }

    /**
     * Rotates {@code tokens} tokens of queries and keys in place.
     *
     * @param positions where the tokens are: {@code startingAt(n)} for token {@code t} at {@code n + t}, explicit,
     *     or one row per axis with {@link #withAxes}
     */
    public void apply(RopePositions positions, int tokens, float[] query, HeadStrides queryStrides,
                      float[] key, HeadStrides keyStrides) {
        run(positions, tokens, new ArrayHeads("query", query, queryStrides), new ArrayHeads("key", key, keyStrides));
    }

    /** As {@link #apply(RopePositions, int, float[], HeadStrides, float[], HeadStrides)}, on segments of floats. */
    public void apply(RopePositions positions, int tokens, MemorySegment query, HeadStrides queryStrides,
                      MemorySegment key, HeadStrides keyStrides) {
        run(positions, tokens, new SegmentHeads("query", query, queryStrides),
                new SegmentHeads("key", key, keyStrides));
    }

    /** Rotates queries only (with xPos, queries and keys are scaled differently). */
    public void applyToQueries(RopePositions positions, int tokens, float[] query, HeadStrides queryStrides) {
        run(positions, tokens, new ArrayHeads("query", query, queryStrides), null);
    }

    /** Rotates keys only. */
    public void applyToKeys(RopePositions positions, int tokens, float[] key, HeadStrides keyStrides) {
        run(positions, tokens, null, new ArrayHeads("key", key, keyStrides));
    }

    /** Rotates queries only, on a segment of floats. */
    public void applyToQueries(RopePositions positions, int tokens, MemorySegment query, HeadStrides queryStrides) {
        run(positions, tokens, new SegmentHeads("query", query, queryStrides), null);
    }

    /** Rotates keys only, on a segment of floats. */
    public void applyToKeys(RopePositions positions, int tokens, MemorySegment key, HeadStrides keyStrides) {
        run(positions, tokens, null, new SegmentHeads("key", key, keyStrides));
    }

    /*
     * Implementation overview. Everything a call could get wrong (positions; per tensor bounds, strides, and for
     * segments liveness, thread confinement, read-only and alignment; then query/key overlap) is checked first, so
     * a rejected call writes nothing. The overlap check is exact (HeadStrides.firstSharedHead): fused QKV buffers
     * interleave query and key heads in one buffer without sharing a float. A shared arena closed by another thread
     * during the call is that thread's race, as for any segment access. Then one cos/sin row per token: read
     * in place from a cache's table for plain RoPE (no copy), otherwise assembled into `rows` (multi-axis: each
     * pair's entry taken from its axis' row; xPos: a scaled query row and an inversely scaled key row). The kernel
     * rotates every head of the token, query then key, with that row.
     */
    private void run(RopePositions positions, int tokens, Heads query, Heads key) {
        Objects.requireNonNull(positions, "positions");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
        }
        RotaryFrequencies f = cosSin.frequencies();
        checkPositions(positions, tokens);
        if (query != null) {
            query.check(tokens, f.headDim());
        }
        if (key != null) {
            key.check(tokens, f.headDim());
        }
        if (tokens == 0) {
            return;
        }
        int pairs = f.pairs();
        if (query != null && key != null) {
            checkDisjoint(query, key, tokens, 2 * pairs);
        }
        int rowLength = 2 * pairs;
        RopeLayout layout = f.layout();
        boolean expands = layout == RopeLayout.INTERLEAVED;
        float[] queryScratch = expands ? new float[2 * rowLength] : null;
        float[] keyScratch = expands && xPos != null ? new float[2 * rowLength] : queryScratch;
        if (axes == null && xPos == null && cosSin instanceof CosSinCache cache) {
            float[] table = cache.table();
            for (int t = 0; t < tokens; t++) {
                int rowOffset = cache.rowOffset(positions.at(0, t));
                float[] row = kernel.prepare(layout, pairs, table, rowOffset, queryScratch);
                int offset = row == table ? rowOffset : 0;
                if (query != null) {
                    query.rotate(kernel, t, layout, pairs, row, offset);
                }
                if (key != null) {
                    key.rotate(kernel, t, layout, pairs, row, offset);
                }
            }
            return;
        }
        float[] rows = new float[2 * rowLength];
        float[] axisRows = axes == null ? null : new float[axes.axes() * rowLength];
        int keyRowOffset = xPos == null ? 0 : rowLength;
        for (int t = 0; t < tokens; t++) {
            fillRows(positions, t, rows, axisRows);
            float[] queryRow = kernel.prepare(layout, pairs, rows, 0, queryScratch);
            float[] keyRow = xPos == null ? queryRow : kernel.prepare(layout, pairs, rows, keyRowOffset, keyScratch);
            if (query != null) {
                query.rotate(kernel, t, layout, pairs, queryRow, 0);
            }
            if (key != null) {
                key.rotate(kernel, t, layout, pairs, keyRow, keyRow == rows ? keyRowOffset : 0);
            }
        }
    }

    /**
     * The query row of token {@code t} into {@code rows[0, 2p)} and, with xPos, the key row into
     * {@code rows[2p, 4p)}.
     */
    private void fillRows(RopePositions positions, int t, float[] rows, float[] axisRows) {
        int pairs = cosSin.frequencies().pairs();
        int rowLength = 2 * pairs;
        if (axes == null) {
            cosSin.row(positions.at(0, t), rows, 0);
        } else {
            for (int a = 0; a < axes.axes(); a++) {
                cosSin.row(positions.at(a, t), axisRows, a * rowLength);
            }
            for (int i = 0; i < pairs; i++) {
                int from = axes.axisOf(i) * rowLength;
                rows[i] = axisRows[from + i];
                rows[pairs + i] = axisRows[from + pairs + i];
            }
        }
        if (xPos != null) {
            int position = positions.at(0, t);
            int rotaryDim = cosSin.frequencies().rotaryDim();
            for (int i = 0; i < pairs; i++) {
                double scale = xPos.queryScale(rotaryDim, i, position);
                double cos = rows[i];
                double sin = rows[pairs + i];
                rows[i] = (float) (cos * scale);
                rows[pairs + i] = (float) (sin * scale);
                rows[rowLength + i] = (float) (cos / scale);
                rows[rowLength + pairs + i] = (float) (sin / scale);
            }
        }
    }

    /** Every position of the call must be one the source can serve, checked before anything is rotated. */
    private void checkPositions(RopePositions positions, int tokens) {
        int axesNeeded = axes == null ? 1 : axes.axes();
        if (axes == null && positions.axes() > 1) {
            throw new IllegalArgumentException("got position_ids with " + positions.axes()
                    + " axes for single-axis RoPE; use withAxes(RotaryAxes...) for multi-axis RoPE");
        }
        positions.check(tokens, axesNeeded);
        if (tokens == 0 || !(cosSin instanceof CosSinCache cache)) {
            return;
        }
        for (int a = 0; a < Math.min(axesNeeded, positions.axes()); a++) {
            int[] range = positions.range(a, tokens);
            if (range[0] < cache.start() || range[1] >= cache.end()) {
                throw new IllegalArgumentException("positions [" + range[0] + ", " + range[1] + "] are outside the "
                        + "cos/sin cache's range [" + cache.start() + ", " + cache.end() + ")");
            }
        }
    }

    /** Rejects query and key heads that share a float of their first {@code width} columns. */
    private static void checkDisjoint(Heads query, Heads key, int tokens, int width) {
        Object memory = query.memory();
        if (memory != key.memory()) {
            return;
        }
        long shiftBytes = key.address() - query.address();
        // Accepted buffers are float-aligned (arrays at 0, segments checked), so the shift is a whole number of floats.
        int[] shared = query.strides().firstSharedHead(key.strides(), shiftBytes / Float.BYTES, tokens, width);
        if (shared != null) {
            throw new IllegalArgumentException("query and key overlap: query token " + shared[0] + " head " + shared[1]
                    + " and key token " + shared[2] + " head " + shared[3] + " share floats of their first " + width
                    + " columns (" + (memory instanceof float[] ? "the same array" : "the same memory")
                    + "), which would be rotated twice");
        }
    }

    /** One tensor of a call: its buffer and strides. */
    private sealed interface Heads permits ArrayHeads, SegmentHeads {
        /** Everything but overlap with the other tensor, reading nothing and writing nothing. */
        void check(int tokens, int headDim);

        HeadStrides strides();

        /**
         * What holds the floats, compared by identity: the array, a heap segment's array, or
         * {@link #NATIVE_MEMORY} for the one address space of native segments.
         */
        Object memory();

        /** The byte address of element 0 within {@link #memory()}. */
        long address();

        void rotate(RopeKernel kernel, int token, RopeLayout layout, int pairs, float[] row, int rowOffset);
    }

    /** The {@link Heads#memory()} of every native segment. */
    private static final Object NATIVE_MEMORY = new Object();

    /** {@code name} is the parameter's name ({@code "query"}, {@code "key"}); its strides' is {@code name + "Strides"}. */
    private record ArrayHeads(String name, float[] buffer, HeadStrides strides) implements Heads {
        ArrayHeads {
            Objects.requireNonNull(buffer, name);
            Objects.requireNonNull(strides, name + "Strides");
        }

        @Override
        public void check(int tokens, int headDim) {
            strides.check(name, tokens, headDim, buffer.length);
        }

        @Override
        public Object memory() {
            return buffer;
        }

        @Override
        public long address() {
            return 0;
        }

        @Override
        public void rotate(RopeKernel kernel, int token, RopeLayout layout, int pairs, float[] row, int rowOffset) {
            int base = (int) (strides.offset() + token * strides.tokenStride());
            kernel.rotate(buffer, base, strides.heads(), (int) strides.headStride(), layout, pairs, row, rowOffset);
        }
    }

    /** As {@link ArrayHeads}. */
    private record SegmentHeads(String name, MemorySegment buffer, HeadStrides strides) implements Heads {
        SegmentHeads {
            Objects.requireNonNull(buffer, name);
            Objects.requireNonNull(strides, name + "Strides");
        }

        @Override
        public void check(int tokens, int headDim) {
            if (!buffer.scope().isAlive()) {
                throw new IllegalArgumentException(name + ": the segment's arena is closed");
            }
            if (!buffer.isAccessibleBy(Thread.currentThread())) {
                throw new IllegalArgumentException(name + ": the segment is confined to another thread than "
                        + Thread.currentThread().getName());
            }
            if (buffer.isReadOnly()) {
                throw new IllegalArgumentException(name + ": the segment is read-only");
            }
            if (buffer.maxByteAlignment() < Float.BYTES) {
                throw new IllegalArgumentException(name + ": the segment must be aligned to 4 bytes (JAVA_FLOAT), "
                        + "its alignment is " + buffer.maxByteAlignment());
            }
            strides.check(name, tokens, headDim, buffer.byteSize() / Float.BYTES);
        }

        @Override
        public Object memory() {
            return buffer.heapBase().orElse(NATIVE_MEMORY);
        }

        @Override
        public long address() {
            return buffer.address();
        }

        @Override
        public void rotate(RopeKernel kernel, int token, RopeLayout layout, int pairs, float[] row, int rowOffset) {
            long base = strides.offset() + token * strides.tokenStride();
            kernel.rotate(buffer, base, strides.heads(), strides.headStride(), layout, pairs, row, rowOffset);
        }
    }
}
