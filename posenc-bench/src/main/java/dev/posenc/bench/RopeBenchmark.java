package dev.posenc.bench;

import dev.posenc.querykey.CosSinCache;
import dev.posenc.querykey.CosSinOnTheFly;
import dev.posenc.querykey.HalfFloat;
import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RopeKernel;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryEmbedding;
import dev.posenc.querykey.RotaryFrequencies;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * In-place RoPE on queries and keys, {@code [tokens][heads][head_dim]}, as an inference engine holds them: float32,
 * or float16/bfloat16 ({@code dtype}; {@code short[]}, arithmetic in float, one rounding per element).
 *
 * <ul>
 *   <li>{@link #vector}, {@link #scalar}: one prefill call rotating {@code tokens} tokens of {@code heads} query
 *       heads and {@code kvHeads} key heads, cos/sin from a {@link CosSinCache} of positions {@code [0, tokens)};
 *   <li>{@link #onTheFly}: the same call with exact cos/sin computed per token ({@link CosSinOnTheFly}), no table;
 *   <li>{@link #baseline}: the memory-bandwidth baseline on the same buffers, a plain loop that reads and writes
 *       every element once ({@code x[i] = -x[i]}; for halves the sign bit flipped; vectorised by C2), i.e. the same
 *       bytes as a rotation with no arithmetic and no cos/sin table;
 *   <li>{@link #decodeVector}, {@link #decodeScalar}: one decoding step, 1 token at position {@code tokens - 1};
 *       {@link #decodeBaseline}: the same in-place read and write of that token's query and key (in cache).
 * </ul>
 * With {@code memory = "native"} the queries and keys are native segments instead of arrays ({@link Buffers}), rotated
 * through the segment overloads of {@link RotaryEmbedding#apply}, the baseline negating the same segments.
 * With {@code threads > 1} the rotation runs through {@link RotaryEmbedding#withExecutor} on a pool of that many
 * threads (token ranges), and the baseline is split into the same contiguous token ranges on the same pool. Each invocation rotates the buffers further; rotations keep the values bounded.
 *
 * <p>Prefill calls (milliseconds) are timed one by one ({@link Mode#SampleTime}) so that {@link RopeBench} can
 * report the median call, which a preemption on a shared machine does not move; decoding steps (sub-microsecond,
 * too short to time individually) are averaged ({@link Mode#AverageTime}).
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RopeBenchmark {

    /** Hugging Face's default frequencies, θ = 10000 (the frequencies do not change the cost). */
    static RotaryFrequencies frequencies(int headDim, RopeLayout layout, int tokens) {
        return new RopeSpec(headDim, headDim, layout, 10000, tokens, new RopeScaling.Default()).frequencies();
    }

    static RopeLayout layout(String id) {
        for (RopeLayout l : RopeLayout.values()) {
            if (l.id().equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("layout: expected half or interleaved, got " + id);
    }

    static RopeKernel vectorKernel() {
        return RopeKernel.vector().orElseThrow(() -> new IllegalStateException(
                "the vector kernel needs --add-modules jdk.incubator.vector in the benchmark JVM"));
    }

    /** {@code null} for float32. */
    static HalfFloat format(String dtype) {
        return switch (dtype) {
            case "float32" -> null;
            case "float16" -> HalfFloat.FLOAT16;
            case "bfloat16" -> HalfFloat.BFLOAT16;
            default -> throw new IllegalArgumentException("dtype: expected float32, float16 or bfloat16, got " + dtype);
        };
    }

    static short[] narrow(float[] x, HalfFloat format) {
        short[] h = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            h[i] = format.fromFloat(x[i]);
        }
        return h;
    }

    /** {@code "heap"} (arrays) or {@code "native"} (segments); anything else is rejected. */
    static boolean nativeMemory(String memory) {
        return switch (memory) {
            case "heap" -> false;
            case "native" -> true;
            default -> throw new IllegalArgumentException("memory: expected heap or native, got " + memory);
        };
    }

    /**
     * Queries and keys in one of the forms the benchmarks time: float32 or a half format ({@code short[]} bits), in
     * arrays or in native segments. Native buffers are held as an engine holds them: allocated from a shared arena, a
     * large one aligned to 2 MiB as Linux places a large anonymous mapping (6.7 and later; and as a memory-mapped
     * weight file starts on a page), small ones to a cache line; filled from the arrays, so both forms rotate the same
     * values. The in-place baseline is {@code x[i] = -x[i]} (the sign bit flipped for halves): on arrays the loop C2
     * vectorises, on segments the same with the Vector API.
     */
    static final class Buffers implements AutoCloseable {
        private static final long LARGE = 2L << 20;
        private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
        private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();

        final HalfFloat format;
        final long queryLength;
        final long keyLength;
        /** One pair is set: the float arrays, the half arrays, or (native) the segments in {@link #arena}. */
        float[] query;
        float[] key;
        short[] halfQuery;
        short[] halfKey;
        final Arena arena;
        MemorySegment querySegment;
        MemorySegment keySegment;

        /** {@code format} null for float32; the values rounded once to it. */
        Buffers(float[] query, float[] key, HalfFloat format, boolean nativeMemory) {
            this.format = format;
            this.queryLength = query.length;
            this.keyLength = key.length;
            arena = nativeMemory ? Arena.ofShared() : null;
            if (format == null && !nativeMemory) {
                this.query = query;
                this.key = key;
            } else if (format == null) {
                querySegment = copy(arena, query);
                keySegment = copy(arena, key);
            } else if (!nativeMemory) {
                halfQuery = narrow(query, format);
                halfKey = narrow(key, format);
            } else {
                querySegment = copy(arena, narrow(query, format));
                keySegment = copy(arena, narrow(key, format));
            }
        }

        void rotate(RotaryEmbedding rope, RopePositions positions, int tokens, HeadStrides queryStrides,
                    HeadStrides keyStrides) {
            if (querySegment != null && format == null) {
                rope.apply(positions, tokens, querySegment, queryStrides, keySegment, keyStrides);
            } else if (querySegment != null) {
                rope.apply(positions, tokens, format, querySegment, queryStrides, keySegment, keyStrides);
            } else if (format == null) {
                rope.apply(positions, tokens, query, queryStrides, key, keyStrides);
            } else {
                rope.apply(positions, tokens, format, halfQuery, queryStrides, halfKey, keyStrides);
            }
        }

        /** The baseline over query elements {@code [q0, q1)} and key elements {@code [k0, k1)}. */
        void negate(long q0, long q1, long k0, long k1) {
            if (querySegment != null && format == null) {
                negateFloats(querySegment, q0, q1);
                negateFloats(keySegment, k0, k1);
            } else if (querySegment != null) {
                negateHalves(querySegment, q0, q1);
                negateHalves(keySegment, k0, k1);
            } else if (format == null) {
                negate(query, (int) q0, (int) q1);
                negate(key, (int) k0, (int) k1);
            } else {
                negate(halfQuery, (int) q0, (int) q1);
                negate(halfKey, (int) k0, (int) k1);
            }
        }

        @Override
        public void close() {
            if (arena != null) {
                arena.close();
            }
        }

        static void negate(float[] x, int from, int to) {
            for (int i = from; i < to; i++) {
                x[i] = -x[i];
            }
        }

        /** Flips the sign bit: the negation of a float16 or bfloat16. */
        static void negate(short[] x, int from, int to) {
            for (int i = from; i < to; i++) {
                x[i] = (short) (x[i] ^ 0x8000);
            }
        }

        private static MemorySegment copy(Arena arena, float[] x) {
            MemorySegment s = arena.allocate((long) Float.BYTES * x.length, alignment(4L * x.length));
            MemorySegment.copy(x, 0, s, ValueLayout.JAVA_FLOAT, 0, x.length);
            return s;
        }

        private static MemorySegment copy(Arena arena, short[] x) {
            MemorySegment s = arena.allocate((long) Short.BYTES * x.length, alignment(2L * x.length));
            MemorySegment.copy(x, 0, s, ValueLayout.JAVA_SHORT, 0, x.length);
            return s;
        }

        private static long alignment(long bytes) {
            return bytes >= LARGE ? LARGE : 64;
        }

        private static void negateFloats(MemorySegment x, long from, long to) {
            long i = from;
            for (long bound = from + FLOATS.loopBound(to - from); i < bound; i += FLOATS.length()) {
                FloatVector.fromMemorySegment(FLOATS, x, 4 * i, ORDER).neg().intoMemorySegment(x, 4 * i, ORDER);
            }
            for (; i < to; i++) {
                x.setAtIndex(ValueLayout.JAVA_FLOAT, i, -x.getAtIndex(ValueLayout.JAVA_FLOAT, i));
            }
        }

        private static void negateHalves(MemorySegment x, long from, long to) {
            long i = from;
            for (long bound = from + SHORTS.loopBound(to - from); i < bound; i += SHORTS.length()) {
                ShortVector.fromMemorySegment(SHORTS, x, 2 * i, ORDER).lanewise(VectorOperators.XOR, (short) 0x8000)
                        .intoMemorySegment(x, 2 * i, ORDER);
            }
            for (; i < to; i++) {
                x.setAtIndex(ValueLayout.JAVA_SHORT, i, (short) (x.getAtIndex(ValueLayout.JAVA_SHORT, i) ^ 0x8000));
            }
        }
    }

    static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    /** The prefill buffers and the thread pool that splits them. */
    @State(Scope.Benchmark)
    public static class Prefill {
        @Param("128")
        public int headDim;
        @Param("32")
        public int heads;
        @Param("8")
        public int kvHeads;
        @Param("4096")
        public int tokens;
        @Param("half")
        public String layout;
        @Param("1")
        public int threads;
        @Param("float32")
        public String dtype;
        @Param("heap")
        public String memory;

        Buffers buffers;
        RotaryEmbedding vector;
        RotaryEmbedding scalar;
        RotaryEmbedding onTheFly;
        ExecutorService pool;
        int[] rangeStarts;

        @Setup(Level.Trial)
        public void setUp() {
            buffers = new Buffers(random(1, tokens * heads * headDim), random(2, tokens * kvHeads * headDim),
                    format(dtype), nativeMemory(memory));
            CosSinCache cache = CosSinCache.of(frequencies(headDim, layout(layout), tokens), 0, tokens);
            vector = RotaryEmbedding.of(cache).withKernel(vectorKernel());
            scalar = vector.withKernel(RopeKernel.scalar());
            onTheFly = RotaryEmbedding.of(CosSinOnTheFly.of(cache.frequencies())).withKernel(vectorKernel());
            rangeStarts = new int[threads + 1];
            for (int i = 0; i <= threads; i++) {
                rangeStarts[i] = (int) ((long) tokens * i / threads);
            }
            pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
            if (pool != null) {
                vector = vector.withExecutor(pool, threads);
                scalar = scalar.withExecutor(pool, threads);
                onTheFly = onTheFly.withExecutor(pool, threads);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (pool != null) {
                pool.shutdownNow();
            }
            buffers.close();
        }

        void rotate(RotaryEmbedding rope) {
            HeadStrides queryStrides = HeadStrides.tokenMajor(heads, headDim);
            HeadStrides keyStrides = HeadStrides.tokenMajor(kvHeads, headDim);
            buffers.rotate(rope, RopePositions.startingAt(0), tokens, queryStrides, keyStrides);
        }

        void negate() {
            forEachRange((from, to) -> buffers.negate((long) from * heads * headDim, (long) to * heads * headDim,
                    (long) from * kvHeads * headDim, (long) to * kvHeads * headDim));
        }

        private void forEachRange(TokenRange work) {
            if (pool == null) {
                work.run(0, tokens);
                return;
            }
            List<Future<?>> done = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                int from = rangeStarts[i];
                int to = rangeStarts[i + 1];
                done.add(pool.submit(() -> work.run(from, to)));
            }
            try {
                for (Future<?> f : done) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    @FunctionalInterface
    interface TokenRange {
        void run(int from, int to);
    }

    /** One token of queries and keys, and a cache reaching position {@code tokens - 1}. */
    @State(Scope.Benchmark)
    public static class Decode {
        @Param("128")
        public int headDim;
        @Param("32")
        public int heads;
        @Param("8")
        public int kvHeads;
        @Param("4096")
        public int tokens;
        @Param("half")
        public String layout;
        @Param("float32")
        public String dtype;
        @Param("heap")
        public String memory;

        Buffers buffers;
        HeadStrides queryStrides;
        HeadStrides keyStrides;
        RopePositions position;
        RotaryEmbedding vector;
        RotaryEmbedding scalar;

        @Setup(Level.Trial)
        public void setUp() {
            buffers = new Buffers(random(3, heads * headDim), random(4, kvHeads * headDim), format(dtype),
                    nativeMemory(memory));
            queryStrides = HeadStrides.tokenMajor(heads, headDim);
            keyStrides = HeadStrides.tokenMajor(kvHeads, headDim);
            position = RopePositions.startingAt(tokens - 1);
            CosSinCache cache = CosSinCache.of(frequencies(headDim, layout(layout), tokens), 0, tokens);
            vector = RotaryEmbedding.of(cache).withKernel(vectorKernel());
            scalar = vector.withKernel(RopeKernel.scalar());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            buffers.close();
        }

        /** The decoding step's baseline: every element of the token's query and key read and written once. */
        void negate() {
            buffers.negate(0, buffers.queryLength, 0, buffers.keyLength);
        }

        void step(RotaryEmbedding rope) {
            buffers.rotate(rope, position, 1, queryStrides, keyStrides);
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void vector(Prefill s) {
        s.rotate(s.vector);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void scalar(Prefill s) {
        s.rotate(s.scalar);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void onTheFly(Prefill s) {
        s.rotate(s.onTheFly);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    public void baseline(Prefill s) {
        s.negate();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void decodeVector(Decode s) {
        s.step(s.vector);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void decodeScalar(Decode s) {
        s.step(s.scalar);
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void decodeBaseline(Decode s) {
        s.negate();
    }
}
