package dev.posenc.querykey;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

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
 * <p>Tensors may be float32 ({@code float[]}, segments of {@code JAVA_FLOAT}) or half precision ({@code short[]},
 * segments of {@code JAVA_SHORT}, in a {@link HalfFloat} format): computed in float and rounded once per element
 * ({@link HalfArithmetic#FLOAT32}, the default) or as Hugging Face's bf16/fp16 forward pass rounds
 * ({@link #withHalfArithmetic}). For half tensors, {@link HeadStrides} count 2-byte elements.
 *
 * <p>Cached keys can be moved to other positions ({@link #shiftKeys}, llama.cpp's K-shift), and a call can be
 * split over threads ({@link #withExecutor}), with the same bits as on one thread.
 *
 * <p>Immutable and thread-safe; each call uses its own scratch space (half-precision calls also one per thread,
 * reused), so threads may rotate disjoint token ranges of the same buffers concurrently (see
 * {@link HeadStrides#withOffset}).
 */
public final class RotaryEmbedding {
    /**
     * Tokens whose cos/sin rows are prepared together. On arrays the kernel rotates the block's tokens in the query,
     * then the same tokens in the key: one memory stream at a time, which on the benchmark shape (32 + 8 heads of
     * 128) ran at about 90% of the in-place bandwidth baseline against about 70% for alternating query and key every
     * token (AVX-512), and 1-3 points above alternating on AVX2. On native segments (both tensors) it alternates,
     * each token's query then its key: there, on AVX2, that ran 2-9 points closer to the baseline than the blocked
     * order (paired rounds in one JVM, 4096 tokens, 2 MiB-aligned segments on 4 KiB and on huge pages; interleaved
     * 83% -> 89% on 4 KiB pages, half 90% -> 98%), where on arrays it lost 1-3 points.
     */
    private static final int TOKEN_BLOCK = 64;
    /** A thread that never starts: a segment it may access is not confined to one thread. */
    private static final Thread OTHER_THREAD = Thread.ofPlatform().unstarted(() -> { });

    private final CosSinSource cosSin;
    private final RotaryAxes axes;
    private final XPos xPos;
    private final RopeKernel kernel;
    private final HalfArithmetic halfArithmetic;
    private final Executor executor;
    private final int parallelism;

    private RotaryEmbedding(CosSinSource cosSin, RotaryAxes axes, XPos xPos, RopeKernel kernel,
                            HalfArithmetic halfArithmetic, Executor executor, int parallelism) {
        // axes, xPos and executor: null means none (private; the public factories reject null)
        this.cosSin = Objects.requireNonNull(cosSin, "cosSin");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.halfArithmetic = Objects.requireNonNull(halfArithmetic, "arithmetic");
        if (axes != null && axes.pairs() != cosSin.frequencies().pairs()) {
            throw new IllegalArgumentException(axes + " describes " + axes.pairs() + " pairs, but rotary_dim/2 = "
                    + cosSin.frequencies().pairs());
        }
        if (axes != null && xPos != null) {
            throw new IllegalArgumentException("xPos is defined for one position axis, not for " + axes);
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be >= 1, got " + parallelism);
        }
        this.axes = axes;
        this.xPos = xPos;
        this.executor = executor;
        this.parallelism = parallelism;
    }

    /** Plain RoPE with the {@linkplain RopeKernel#best() best} kernel. */
    public static RotaryEmbedding of(CosSinSource cosSin) {
        return new RotaryEmbedding(cosSin, null, null, RopeKernel.best(), HalfArithmetic.FLOAT32, null, 1);
    }

    /** The same, with each pair following the position axis {@code axes} assigns it. */
    public RotaryEmbedding withAxes(RotaryAxes axes) {
        return new RotaryEmbedding(cosSin, Objects.requireNonNull(axes, "axes"), xPos, kernel, halfArithmetic,
                executor, parallelism);
    }

    /** The same, with xPos scaling of queries and keys. */
    public RotaryEmbedding withXPos(XPos xPos) {
        return new RotaryEmbedding(cosSin, axes, Objects.requireNonNull(xPos, "xPos"), kernel, halfArithmetic,
                executor, parallelism);
    }

    /** The same, with another kernel (to compare the scalar reference with the vector kernel). */
    public RotaryEmbedding withKernel(RopeKernel kernel) {
        return new RotaryEmbedding(cosSin, axes, xPos, kernel, halfArithmetic, executor, parallelism);
    }

    /**
     * The same, rotating half-precision tensors with {@code arithmetic} ({@link HalfArithmetic#FLOAT32} by
     * default; {@link HalfArithmetic#HF_FORWARD} to reproduce Hugging Face's bf16/fp16 forward pass). Float32
     * tensors are unaffected.
     */
    public RotaryEmbedding withHalfArithmetic(HalfArithmetic arithmetic) {
        return new RotaryEmbedding(cosSin, axes, xPos, kernel, arithmetic, executor, parallelism);
    }

    /**
     * The same, splitting each call into {@code parallelism} tasks run on {@code executor} (the calling thread
     * runs one of them and waits for the rest): token ranges when a call has at least {@code parallelism} tokens,
     * else ranges of heads of every token (a decoding step). Every element is computed by the same operations as
     * on one thread, so the results are the same bits. Arguments are still checked, on the calling thread, before
     * any task starts; segments must then be accessible from other threads (not from {@code Arena.ofConfined()}).
     * The executor must not run its tasks only on the calling thread's own queue (a single-thread executor called
     * from its own thread would wait forever). {@code parallelism = 1} runs on the calling thread.
     *
     * @param executor e.g. a {@code ForkJoinPool} or {@code Executors.newFixedThreadPool(n)}
     * @param parallelism tasks per call, {@code >= 1} (usually the number of cores)
     */
    public RotaryEmbedding withExecutor(Executor executor, int parallelism) {
        return new RotaryEmbedding(cosSin, axes, xPos, kernel, halfArithmetic,
                Objects.requireNonNull(executor, "executor"), parallelism);
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

    public HalfArithmetic halfArithmetic() {
        return halfArithmetic;
    }

    /** Tasks per call: 1, or the parallelism given to {@link #withExecutor}. */
    public int parallelism() {
        return executor == null ? 1 : parallelism;
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

    /**
     * As {@link #apply(RopePositions, int, float[], HeadStrides, float[], HeadStrides)}, on half-precision
     * tensors: the raw bits of {@code format} values, strides counting elements.
     */
    public void apply(RopePositions positions, int tokens, HalfFloat format, short[] query, HeadStrides queryStrides,
                      short[] key, HeadStrides keyStrides) {
        Objects.requireNonNull(format, "format");
        run(positions, tokens, new ShortArrayHeads("query", query, queryStrides, format, halfArithmetic),
                new ShortArrayHeads("key", key, keyStrides, format, halfArithmetic));
    }

    /** As {@link #apply(RopePositions, int, HalfFloat, short[], HeadStrides, short[], HeadStrides)}, on segments. */
    public void apply(RopePositions positions, int tokens, HalfFloat format, MemorySegment query,
                      HeadStrides queryStrides, MemorySegment key, HeadStrides keyStrides) {
        Objects.requireNonNull(format, "format");
        run(positions, tokens, new HalfSegmentHeads("query", query, queryStrides, format, halfArithmetic),
                new HalfSegmentHeads("key", key, keyStrides, format, halfArithmetic));
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

    /** Rotates half-precision keys only (a KV cache's new entries). */
    public void applyToKeys(RopePositions positions, int tokens, HalfFloat format, short[] key,
                            HeadStrides keyStrides) {
        Objects.requireNonNull(format, "format");
        run(positions, tokens, null, new ShortArrayHeads("key", key, keyStrides, format, halfArithmetic));
    }

    /** Rotates half-precision keys only, on a segment. */
    public void applyToKeys(RopePositions positions, int tokens, HalfFloat format, MemorySegment key,
                            HeadStrides keyStrides) {
        Objects.requireNonNull(format, "format");
        run(positions, tokens, null, new HalfSegmentHeads("key", key, keyStrides, format, halfArithmetic));
    }

    /**
     * Moves {@code tokens} cached keys, already rotated, by {@code delta} positions in place: a key rotated at
     * position {@code p} becomes the key rotated at {@code p + delta} (the KV-cache shift of a sliding context
     * window, StreamingLLM's re-positioning, or closing a gap left by removed tokens). {@code delta} may be negative.
     *
     * <p>Each pair is rotated by the angle {@code delta * inv_freq[i]} evaluated exactly in double (the product's
     * rounding error captured with an FMA and applied by the angle-addition formula, {@link StrictMath} cos/sin),
     * the rotation computed in double and rounded once per element to the tensor's type; the rotation alone, so
     * {@code attention_scaling} (YaRN, LongRoPE), already in the keys, is not applied again. One shift therefore
     * agrees with a fresh rotation at {@code p + delta} to within the rounding of the two ({@code ContextShiftTest}
     * states the bound), and successive shifts add one rounding each, not an angle error.
     *
     * <p>llama.cpp, by comparison (as its source reads: {@code llama_context}'s K-shift builds
     * {@code ggml_rope_ext} over the cache with the shift as positions), recomputes the angle of the shift in float
     * ({@code theta = delta * freq_scale * theta_base^(-2i/n)}, cos/sin in float) and composes float rotations, so
     * each shift adds an angle error proportional to {@code |delta| * inv_freq}; and its YaRN path passes an
     * attention factor into that rope, which it has to correct per architecture. {@code posenc bench shift} measures
     * the drift of both after repeated shifts.
     *
     * <p>For multi-axis RoPE ({@link #withAxes}) every axis moves by {@code delta}: text tokens of M-RoPE (whose
     * axes all hold the same position). xPos keys cannot be moved by a rotation (their scale depends on the
     * position): such an embedding rejects the call. The caller keeps positions non-negative.
     */
    public void shiftKeys(int delta, int tokens, float[] key, HeadStrides keyStrides) {
        shift(delta, tokens, new ArrayHeads("key", key, keyStrides));
    }

    /** As {@link #shiftKeys(int, int, float[], HeadStrides)}, on a segment of floats. */
    public void shiftKeys(int delta, int tokens, MemorySegment key, HeadStrides keyStrides) {
        shift(delta, tokens, new SegmentHeads("key", key, keyStrides));
    }

    /** As {@link #shiftKeys(int, int, float[], HeadStrides)}, on half-precision keys (one rounding per element). */
    public void shiftKeys(int delta, int tokens, HalfFloat format, short[] key, HeadStrides keyStrides) {
        Objects.requireNonNull(format, "format");
        shift(delta, tokens, new ShortArrayHeads("key", key, keyStrides, format, halfArithmetic));
    }

    /** As {@link #shiftKeys(int, int, HalfFloat, short[], HeadStrides)}, on a segment. */
    public void shiftKeys(int delta, int tokens, HalfFloat format, MemorySegment key, HeadStrides keyStrides) {
        Objects.requireNonNull(format, "format");
        shift(delta, tokens, new HalfSegmentHeads("key", key, keyStrides, format, halfArithmetic));
    }

    /*
     * Implementation overview. Everything a call could get wrong (positions; per tensor bounds, strides, and for
     * segments liveness, thread confinement, read-only and alignment; then query/key overlap) is checked first, so
     * a rejected call writes nothing. The overlap check is exact (HeadStrides.firstSharedHead): fused QKV buffers
     * interleave query and key heads in one buffer without sharing a float. A shared arena closed by another thread
     * during the call is that thread's race, as for any segment access. Then one cos/sin row per token: read
     * in place from a cache's table for plain RoPE (no copy), otherwise assembled into `rows` (multi-axis: each
     * pair's entry taken from its axis' row; xPos: a scaled query row and an inversely scaled key row; HF_FORWARD
     * on half tensors: rounded to the format), prepared once for the kernel (interleaved rows expanded). Tokens go
     * in blocks of TOKEN_BLOCK: the kernel rotates every head of each token of the block in the query, then in the
     * key, with that token's row (native segments: each token's query, then its key; the measurements at
     * TOKEN_BLOCK). Exact rows computed on the fly come from ExactRowRecurrence (the same bits as
     * CosSinOnTheFly's, a fraction of the StrictMath calls). With an executor, tasks take disjoint token ranges or
     * head ranges, each with its own scratch; an element's value does not depend on which task computes it.
     */
    private void run(RopePositions positions, int tokens, Heads query, Heads key) {
        Objects.requireNonNull(positions, "positions");
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
        }
        RotaryFrequencies f = cosSin.frequencies();
        checkPositions(positions, tokens);
        boolean shared = parallelism() > 1;
        if (query != null) {
            query.check(tokens, f.headDim(), shared);
        }
        if (key != null) {
            key.check(tokens, f.headDim(), shared);
        }
        if (tokens == 0) {
            return;
        }
        if (query != null && key != null) {
            checkDisjoint(query, key, tokens, 2 * f.pairs());
        }
        Heads any = query != null ? query : key;
        HalfFloat rowFormat = halfArithmetic == HalfArithmetic.HF_FORWARD ? any.format() : null;
        int tasks = parallelism();
        if (tasks == 1) {
            rotate(positions, 0, tokens, 0, 1, query, key, rowFormat);
            return;
        }
        boolean byTokens = tokens >= tasks;
        int parts = byTokens ? tasks
                : Math.min(tasks, Math.max(query == null ? 1 : query.strides().heads(),
                        key == null ? 1 : key.strides().heads()));
        Runnable[] work = new Runnable[parts];
        for (int j = 0; j < parts; j++) {
            int part = j;
            work[j] = byTokens
                    ? () -> rotate(positions, split(tokens, part, parts), split(tokens, part + 1, parts), 0, 1, query,
                            key, rowFormat)
                    : () -> rotate(positions, 0, tokens, part, parts, query, key, rowFormat);
        }
        runAll(work);
    }

    /** The first of the {@code part}-th of {@code parts} equal ranges of {@code [0, n)}. */
    private static int split(int n, int part, int parts) {
        return parts == 1 ? part * n : (int) ((long) n * part / parts);
    }

    private void runAll(Runnable[] work) {
        CompletableFuture<?>[] others = new CompletableFuture<?>[work.length - 1];
        for (int j = 1; j < work.length; j++) {
            others[j - 1] = CompletableFuture.runAsync(work[j], executor);
        }
        work[0].run();
        try {
            CompletableFuture.allOf(others).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * Rotates tokens {@code [from, to)}, and of each tensor the heads of part {@code part} of {@code parts} equal
     * head ranges.
     */
    private void rotate(RopePositions positions, int from, int to, int part, int parts, Heads query, Heads key,
                        HalfFloat rowFormat) {
        RotaryFrequencies f = cosSin.frequencies();
        int pairs = f.pairs();
        int rowLength = 2 * pairs;
        RopeLayout layout = f.layout();
        int q0 = query == null ? 0 : split(query.strides().heads(), part, parts);
        int q1 = query == null ? 0 : split(query.strides().heads(), part + 1, parts);
        int k0 = key == null ? 0 : split(key.strides().heads(), part, parts);
        int k1 = key == null ? 0 : split(key.strides().heads(), part + 1, parts);
        int block = Math.min(TOKEN_BLOCK, to - from);
        // where a token's rows come from: the cache's table, read in place (plain RoPE), or `rows`, filled per
        // block (query rows, with xPos key rows after each; multi-axis; exact on the fly; HF_FORWARD rounding)
        CosSinCache cache = axes == null && xPos == null && rowFormat == null && cosSin instanceof CosSinCache c
                ? c : null;
        int rowsPerToken = xPos == null ? rowLength : 2 * rowLength;
        int keyRowOffset = xPos == null ? 0 : rowLength;
        float[] rows = cache == null ? new float[block * rowsPerToken] : null;
        float[] axisRows = axes == null ? null : new float[axes.axes() * rowLength];
        ExactRowRecurrence recurrence = cache == null && axes == null && cosSin instanceof CosSinOnTheFly
                && cosSin.precision() == RotaryPrecision.EXACT ? new ExactRowRecurrence(f, kernel) : null;
        // the rows as the kernel reads them (interleaved: expanded to twice their length, but for bfloat16 with
        // FLOAT32 arithmetic), once per token of a block for both tensors
        HalfFloat format = (query != null ? query : key).format();
        boolean bfloat16Pairs = format == HalfFloat.BFLOAT16 && halfArithmetic == HalfArithmetic.FLOAT32;
        float[] prepared = layout == RopeLayout.INTERLEAVED && !bfloat16Pairs
                ? new float[2 * block * rowsPerToken] : null;
        RopeKernel.HalfScratch scratch = format == null ? null
                : RopeKernel.HalfScratch.forThread(Math.max(q1 - q0, k1 - k0) * rowLength);
        int[] queryAt = new int[block];
        int[] keyAt = new int[block];
        boolean tokenByToken = q1 > q0 && k1 > k0 && query.memory() == NATIVE_MEMORY && key.memory() == NATIVE_MEMORY;
        for (int t0 = from; t0 < to; t0 += TOKEN_BLOCK) {
            int t1 = Math.min(to, t0 + TOKEN_BLOCK);
            float[] source = null;
            for (int t = t0; t < t1; t++) {
                int b = t - t0;
                float[] rowSource;
                int at;
                if (cache != null) {
                    rowSource = cache.table();
                    at = cache.rowOffset(positions.at(0, t));
                } else {
                    rowSource = rows;
                    at = b * rowsPerToken;
                    fillRows(positions, t, rows, at, axisRows, recurrence);
                    if (rowFormat != null) {
                        for (int i = at; i < at + rowsPerToken; i++) {
                            rows[i] = rowFormat.round(rows[i]);
                        }
                    }
                }
                int preparedAt = 2 * b * rowsPerToken;
                source = kernel.prepare(layout, bfloat16Pairs, pairs, rowSource, at, prepared, preparedAt);
                if (source == rowSource) {
                    queryAt[b] = at;
                    keyAt[b] = at + keyRowOffset;
                } else {
                    queryAt[b] = preparedAt;
                    keyAt[b] = preparedAt;
                    if (xPos != null) {
                        keyAt[b] = preparedAt + 2 * rowLength;
                        kernel.prepare(layout, bfloat16Pairs, pairs, rowSource, at + keyRowOffset, prepared,
                                keyAt[b]);
                    }
                }
            }
            if (tokenByToken) {
                // native segments: each token's query, then its key (TOKEN_BLOCK)
                for (int t = t0; t < t1; t++) {
                    query.rotate(kernel, t, q0, q1, layout, pairs, source, queryAt[t - t0], scratch);
                    key.rotate(kernel, t, k0, k1, layout, pairs, source, keyAt[t - t0], scratch);
                }
                continue;
            }
            // the block's tokens of the query, then the same tokens of the key: one memory stream at a time
            if (q1 > q0) {
                for (int t = t0; t < t1; t++) {
                    query.rotate(kernel, t, q0, q1, layout, pairs, source, queryAt[t - t0], scratch);
                }
            }
            if (k1 > k0) {
                for (int t = t0; t < t1; t++) {
                    key.rotate(kernel, t, k0, k1, layout, pairs, source, keyAt[t - t0], scratch);
                }
            }
        }
    }

    /** See {@link #shiftKeys(int, int, float[], HeadStrides)}. */
    private void shift(int delta, int tokens, Heads key) {
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
        }
        if (xPos != null) {
            throw new IllegalArgumentException("keys scaled by xPos cannot be shifted by a rotation (their scale "
                    + "depends on the position); rotate them again from the unscaled keys");
        }
        RotaryFrequencies f = cosSin.frequencies();
        key.check(tokens, f.headDim(), false);
        if (tokens == 0 || delta == 0) {
            return;
        }
        int pairs = f.pairs();
        double[] cos = new double[pairs];
        double[] sin = new double[pairs];
        RotaryPrecision.exactCosSin(f, delta, cos, sin);
        RopeLayout layout = f.layout();
        int rotaryDim = 2 * pairs;
        HeadStrides s = key.strides();
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < s.heads(); h++) {
                long b = s.offset() + t * s.tokenStride() + h * s.headStride();
                for (int i = 0; i < pairs; i++) {
                    long i0 = b + layout.firstColumn(i, rotaryDim);
                    long i1 = b + layout.secondColumn(i, rotaryDim);
                    double x0 = key.get(i0);
                    double x1 = key.get(i1);
                    key.set(i0, Math.fma(x0, cos[i], -(x1 * sin[i])));
                    key.set(i1, Math.fma(x1, cos[i], x0 * sin[i]));
                }
            }
        }
    }

    /**
     * The query row of token {@code t} into {@code rows[at, at + 2p)} and, with xPos, the key row into
     * {@code rows[at + 2p, at + 4p)}. With {@code recurrence} (exact rows on the fly), the same bits from it.
     */
    private void fillRows(RopePositions positions, int t, float[] rows, int at, float[] axisRows,
                          ExactRowRecurrence recurrence) {
        int pairs = cosSin.frequencies().pairs();
        int rowLength = 2 * pairs;
        if (recurrence != null) {
            recurrence.row(positions.at(0, t), rows, at);
        } else if (axes == null) {
            cosSin.row(positions.at(0, t), rows, at);
        } else {
            for (int a = 0; a < axes.axes(); a++) {
                cosSin.row(positions.at(a, t), axisRows, a * rowLength);
            }
            for (int i = 0; i < pairs; i++) {
                int from = axes.axisOf(i) * rowLength;
                rows[at + i] = axisRows[from + i];
                rows[at + pairs + i] = axisRows[from + pairs + i];
            }
        }
        if (xPos != null) {
            int position = positions.at(0, t);
            int rotaryDim = cosSin.frequencies().rotaryDim();
            for (int i = 0; i < pairs; i++) {
                double scale = xPos.queryScale(rotaryDim, i, position);
                double cos = rows[at + i];
                double sin = rows[at + pairs + i];
                rows[at + i] = (float) (cos * scale);
                rows[at + pairs + i] = (float) (sin * scale);
                rows[at + rowLength + i] = (float) (cos / scale);
                rows[at + rowLength + pairs + i] = (float) (sin / scale);
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

    /** Rejects query and key heads that share an element of their first {@code width} columns. */
    private static void checkDisjoint(Heads query, Heads key, int tokens, int width) {
        Object memory = query.memory();
        if (memory != key.memory()) {
            return;
        }
        long shiftBytes = key.address() - query.address();
        // Accepted buffers are element-aligned (arrays at 0, segments checked), so the shift is whole elements.
        int[] shared = query.strides().firstSharedHead(key.strides(), shiftBytes / query.elementBytes(), tokens,
                width);
        if (shared != null) {
            boolean array = memory instanceof float[] || memory instanceof short[];
            throw new IllegalArgumentException("query and key overlap: query token " + shared[0] + " head " + shared[1]
                    + " and key token " + shared[2] + " head " + shared[3] + " share "
                    + (query.elementBytes() == Float.BYTES ? "floats" : "elements") + " of their first " + width
                    + " columns (" + (array ? "the same array" : "the same memory")
                    + "), which would be rotated twice");
        }
    }

    /** One tensor of a call: its buffer, element type and strides. */
    private sealed interface Heads permits ArrayHeads, SegmentHeads, ShortArrayHeads, HalfSegmentHeads {
        /**
         * Everything but overlap with the other tensor, reading nothing and writing nothing; {@code shared}: the
         * call's tasks run on other threads too.
         */
        void check(int tokens, int headDim, boolean shared);

        HeadStrides strides();

        /** The half format of the elements, or null for floats. */
        HalfFloat format();

        int elementBytes();

        /**
         * What holds the elements, compared by identity: the array, a heap segment's array, or
         * {@link #NATIVE_MEMORY} for the one address space of native segments.
         */
        Object memory();

        /** The byte address of element 0 within {@link #memory()}. */
        long address();

        /** Rotates heads {@code [h0, h1)} of {@code token}. */
        void rotate(RopeKernel kernel, int token, int h0, int h1, RopeLayout layout, int pairs, float[] row,
                    int rowOffset, RopeKernel.HalfScratch scratch);

        /** Element {@code index}, widened exactly. */
        float get(long index);

        /** Stores {@code value} at element {@code index}, rounded once to the element type. */
        void set(long index, double value);
    }

    /** The {@link Heads#memory()} of every native segment. */
    private static final Object NATIVE_MEMORY = new Object();

    /**
     * {@code value} rounded once to {@code format}: rounded to float with the last bit forced odd when inexact
     * (round to odd, which keeps the information a second rounding needs because float has at least 2 more bits),
     * then rounded to nearest even by the format.
     */
    private static short roundOnce(HalfFloat format, double value) {
        float f = (float) value;
        if (f != value && !Double.isNaN(value) && !Float.isInfinite(f)) {
            int bits = Float.floatToRawIntBits(f);
            if ((bits & 1) == 0) {
                f = Float.intBitsToFloat(Math.abs(value) < Math.abs(f) ? bits - 1 : bits + 1);
            }
        }
        return format.fromFloat(f);
    }

    /** The checks of a segment before any access, for elements of {@code bytes} bytes. */
    private static void checkSegment(String name, MemorySegment buffer, int bytes, boolean shared) {
        if (!buffer.scope().isAlive()) {
            throw new IllegalArgumentException(name + ": the segment's arena is closed");
        }
        if (!buffer.isAccessibleBy(Thread.currentThread())) {
            throw new IllegalArgumentException(name + ": the segment is confined to another thread than "
                    + Thread.currentThread().getName());
        }
        if (shared && !buffer.isAccessibleBy(OTHER_THREAD)) {
            throw new IllegalArgumentException(name + ": the segment is confined to this thread, but the call runs "
                    + "on an executor; allocate it from a shared or global arena");
        }
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException(name + ": the segment is read-only");
        }
        if (buffer.maxByteAlignment() < bytes) {
            throw new IllegalArgumentException(name + ": the segment must be aligned to " + bytes + " bytes ("
                    + (bytes == Float.BYTES ? "JAVA_FLOAT" : "JAVA_SHORT") + "), its alignment is "
                    + buffer.maxByteAlignment());
        }
    }

    /** {@code name} is the parameter's name ({@code "query"}, {@code "key"}); its strides' is {@code name + "Strides"}. */
    private record ArrayHeads(String name, float[] buffer, HeadStrides strides) implements Heads {
        ArrayHeads {
            Objects.requireNonNull(buffer, name);
            Objects.requireNonNull(strides, name + "Strides");
        }

        @Override
        public void check(int tokens, int headDim, boolean shared) {
            strides.check(name, tokens, headDim, buffer.length);
        }

        @Override
        public HalfFloat format() {
            return null;
        }

        @Override
        public int elementBytes() {
            return Float.BYTES;
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
        public void rotate(RopeKernel kernel, int token, int h0, int h1, RopeLayout layout, int pairs, float[] row,
                           int rowOffset, RopeKernel.HalfScratch scratch) {
            int base = (int) (strides.offset() + token * strides.tokenStride() + h0 * strides.headStride());
            kernel.rotate(buffer, base, h1 - h0, (int) strides.headStride(), layout, pairs, row, rowOffset);
        }

        @Override
        public float get(long index) {
            return buffer[(int) index];
        }

        @Override
        public void set(long index, double value) {
            buffer[(int) index] = (float) value;
        }
    }

    /** As {@link ArrayHeads}. */
    private record SegmentHeads(String name, MemorySegment buffer, HeadStrides strides) implements Heads {
        SegmentHeads {
            Objects.requireNonNull(buffer, name);
            Objects.requireNonNull(strides, name + "Strides");
        }

        @Override
        public void check(int tokens, int headDim, boolean shared) {
            checkSegment(name, buffer, Float.BYTES, shared);
            strides.check(name, tokens, headDim, buffer.byteSize() / Float.BYTES);
        }

        @Override
        public HalfFloat format() {
            return null;
        }

        @Override
        public int elementBytes() {
            return Float.BYTES;
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
        public void rotate(RopeKernel kernel, int token, int h0, int h1, RopeLayout layout, int pairs, float[] row,
                           int rowOffset, RopeKernel.HalfScratch scratch) {
            long base = strides.offset() + token * strides.tokenStride() + h0 * strides.headStride();
            kernel.rotate(buffer, base, h1 - h0, strides.headStride(), layout, pairs, row, rowOffset);
        }

        @Override
        public float get(long index) {
            return buffer.getAtIndex(ValueLayout.JAVA_FLOAT, index);
        }

        @Override
        public void set(long index, double value) {
            buffer.setAtIndex(ValueLayout.JAVA_FLOAT, index, (float) value);
        }
    }

    /** Half-precision elements in a {@code short[]}. */
    private record ShortArrayHeads(String name, short[] buffer, HeadStrides strides, HalfFloat format,
                                   HalfArithmetic arithmetic) implements Heads {
        ShortArrayHeads {
            Objects.requireNonNull(buffer, name);
            Objects.requireNonNull(strides, name + "Strides");
        }

        @Override
        public void check(int tokens, int headDim, boolean shared) {
            strides.check(name, tokens, headDim, buffer.length);
        }

        @Override
        public int elementBytes() {
            return Short.BYTES;
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
        public void rotate(RopeKernel kernel, int token, int h0, int h1, RopeLayout layout, int pairs, float[] row,
                           int rowOffset, RopeKernel.HalfScratch scratch) {
            int base = (int) (strides.offset() + token * strides.tokenStride() + h0 * strides.headStride());
            kernel.rotate(buffer, base, h1 - h0, (int) strides.headStride(), layout, pairs, format,
                    arithmetic, row, rowOffset, scratch);
        }

        @Override
        public float get(long index) {
            return format.toFloat(buffer[(int) index]);
        }

        @Override
        public void set(long index, double value) {
            buffer[(int) index] = roundOnce(format, value);
        }
    }

    /** Half-precision elements in a segment of {@code JAVA_SHORT}s. */
    private record HalfSegmentHeads(String name, MemorySegment buffer, HeadStrides strides, HalfFloat format,
                                   HalfArithmetic arithmetic) implements Heads {
        HalfSegmentHeads {
            Objects.requireNonNull(buffer, name);
            Objects.requireNonNull(strides, name + "Strides");
        }

        @Override
        public void check(int tokens, int headDim, boolean shared) {
            checkSegment(name, buffer, Short.BYTES, shared);
            strides.check(name, tokens, headDim, buffer.byteSize() / Short.BYTES);
        }

        @Override
        public int elementBytes() {
            return Short.BYTES;
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
        public void rotate(RopeKernel kernel, int token, int h0, int h1, RopeLayout layout, int pairs, float[] row,
                           int rowOffset, RopeKernel.HalfScratch scratch) {
            long base = strides.offset() + token * strides.tokenStride() + h0 * strides.headStride();
            kernel.rotate(buffer, base, h1 - h0, strides.headStride(), layout, pairs, format,
                    arithmetic, row, rowOffset, scratch);
        }

        @Override
        public float get(long index) {
            return format.toFloat(buffer.getAtIndex(ValueLayout.JAVA_SHORT, index));
        }

        @Override
        public void set(long index, double value) {
            buffer.setAtIndex(ValueLayout.JAVA_SHORT, index, roundOnce(format, value));
        }
    }
}
