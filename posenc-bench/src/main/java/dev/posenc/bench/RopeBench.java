package dev.posenc.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link RopeBenchmark} through the JMH runner API and reduces it to throughput figures. Bytes count each
 * query and key element read once and written once (8 bytes per float32 element, 4 per float16/bfloat16 one);
 * cos/sin tables are excluded.
 */
public final class RopeBench {
    private RopeBench() {}

    /**
     * What to run.
     *
     * @param memory {@code "heap"}: queries and keys in arrays; {@code "native"}: in native segments (see
     *               {@code RopeBenchmark.Buffers})
     * @param forks JMH forks per benchmark; 0 runs in this JVM (tests), which then needs the Vector API module
     */
    public record Config(int headDim, int heads, int kvHeads, int tokens, String layout, int threads, String dtype,
                         String memory, int warmupIterations, int iterations, int iterationMillis, int forks) {
        public Config {
            RopeBenchmark.nativeMemory(memory);
        }
    }

    /**
     * One benchmark's time per call, in ns: {@code nsPerCall} is the median call for prefill benchmarks (timed one
     * by one) and the mean for decoding steps; {@code meanNs} the mean, {@code errorNs} the half-width of the mean's
     * 99.9% confidence interval.
     */
    public record Timing(double nsPerCall, double meanNs, double errorNs) {}

    /** The quartiles of a ratio over {@code rounds} alternating rounds ({@link #paired}). */
    public record Ratio(int rounds, double q1, double median, double q3) {
        static Ratio of(double[] values) {
            double[] v = values.clone();
            Arrays.sort(v);
            return new Ratio(v.length, quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75));
        }

        /** Linear interpolation between the order statistics around {@code q * (n - 1)}. */
        private static double quantile(double[] sorted, double q) {
            double at = q * (sorted.length - 1);
            int lo = (int) Math.floor(at);
            int hi = Math.min(sorted.length - 1, lo + 1);
            return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
        }
    }

    /**
     * Ratios from alternating rounds: {@code tableOverBaseline} is the table kernel's throughput over the in-place
     * baseline's, {@code onTheFlyOverTable} the on-the-fly kernel's over the table kernel's, each taken within one
     * round and summarised over all rounds.
     */
    public record Paired(Ratio tableOverBaseline, Ratio onTheFlyOverTable) {}

    /**
     * One run's timings and ratios; {@code hugePages}: whether its queries and keys sat on transparent huge pages (see
     * HugePages; for native memory {@link HugePages#inUseOffHeap()}).
     */
    public record Result(Config config, String kernel, long bytesPerCall, Timing vector, Timing scalar,
                         Timing onTheFly, Timing baseline, Timing decodeVector, Timing decodeScalar, Timing decodeBaseline,
                         Paired paired, boolean hugePages) {
        public double bytesPerSecond() {
            return bytesPerCall / (vector.nsPerCall * 1e-9);
        }

        public double elementsPerSecond() {
            return bytesPerSecond() / 8;
        }

        public double scalarBytesPerSecond() {
            return bytesPerCall / (scalar.nsPerCall * 1e-9);
        }

        public double baselineBytesPerSecond() {
            return bytesPerCall / (baseline.nsPerCall * 1e-9);
        }

        /** The vector kernel with exact cos/sin computed per token, no table. */
        public double onTheFlyBytesPerSecond() {
            return bytesPerCall / (onTheFly.nsPerCall * 1e-9);
        }

        /** On-the-fly throughput over the table kernel's: the median of the alternating rounds. */
        public double onTheFlyFractionOfTable() {
            return paired.onTheFlyOverTable().median();
        }

        /** The table kernel's throughput over the in-place baseline's: the median of the alternating rounds. */
        public double fractionOfBandwidth() {
            return paired.tableOverBaseline().median();
        }

        /** As {@link #fractionOfBandwidth()}, from the JMH medians (separate forks, one after the other). */
        public double jmhFractionOfBandwidth() {
            return bytesPerSecond() / baselineBytesPerSecond();
        }

        /** As {@link #onTheFlyFractionOfTable()}, from the JMH medians. */
        public double jmhOnTheFlyFractionOfTable() {
            return vector.nsPerCall / onTheFly.nsPerCall;
        }

        public double speedupOverScalar() {
            return scalar.nsPerCall / vector.nsPerCall;
        }

        /**
         * How much of the in-place baseline the kernel's arithmetic leaves within reach: the baseline's time per
         * element of the prefill call over the kernel's time per element in the decoding step, whose one token is
         * in cache (so memory costs it next to nothing). Above 1 the kernel is bound by memory, as the baseline
         * is; below 1 by its own instructions, and {@link #fractionOfBandwidth()} cannot exceed this on this
         * machine. One thread only (the decoding step runs on one); NaN otherwise.
         */
        public double computeCeiling() {
            if (config.threads() != 1) {
                return Double.NaN;
            }
            return baseline.nsPerCall / (config.tokens() * decodeVector.nsPerCall);
        }
    }

    /** Bytes one prefill call moves: {@code (heads + kvHeads) * tokens * headDim} elements, each read and written. */
    public static long bytesPerCall(Config c) {
        long elementBytes = c.dtype().equals("float32") ? Float.BYTES : Short.BYTES;
        return 2 * elementBytes * (c.heads() + c.kvHeads()) * c.tokens() * c.headDim();
    }

    public static Result run(Config c) throws RunnerException {
        String prefix = RopeBenchmark.class.getName() + ".";
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + java.util.regex.Pattern.quote(prefix)
                        + "(vector|scalar|onTheFly|baseline|decodeVector|decodeScalar|decodeBaseline)$")
                .param("headDim", String.valueOf(c.headDim()))
                .param("heads", String.valueOf(c.heads()))
                .param("kvHeads", String.valueOf(c.kvHeads()))
                .param("tokens", String.valueOf(c.tokens()))
                .param("layout", c.layout())
                .param("threads", String.valueOf(c.threads()))
                .param("dtype", c.dtype())
                .param("memory", c.memory())
                .warmupIterations(c.warmupIterations())
                .warmupTime(TimeValue.milliseconds(c.iterationMillis()))
                .measurementIterations(c.iterations())
                .measurementTime(TimeValue.milliseconds(c.iterationMillis()))
                .timeUnit(TimeUnit.NANOSECONDS)
                .forks(c.forks())
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        if (c.forks() > 0) {
            List<String> args = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector",
                    "--sun-misc-unsafe-memory-access=allow"));
            args.addAll(HugePages.forkFlags());
            options.jvmArgsAppend(args.toArray(String[]::new));
        }
        // JMH copies what the forked JVMs print to its output format, even when silent: send it to stderr (the
        // caller's stdout carries the results), without the incubator notice every fork prints.
        PrintStream forkOutput = new PrintStream(new NoticeFilter(System.err), true, StandardCharsets.UTF_8);
        Collection<RunResult> results = new Runner(options.build(),
                OutputFormatFactory.createFormatInstance(forkOutput, VerboseMode.SILENT)).run();
        forkOutput.flush();
        Map<String, Timing> timings = new HashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().substring(prefix.length());
            org.openjdk.jmh.results.Result<?> primary = r.getPrimaryResult();
            double mean = primary.getScore();
            double error = Double.isNaN(primary.getScoreError()) ? 0 : primary.getScoreError();
            double typical = r.getParams().getMode() == Mode.SampleTime
                    ? primary.getStatistics().getPercentile(50) : mean;
            timings.put(name, new Timing(typical, mean, error));
        }
        return new Result(c, RopeBenchmark.vectorKernel().name(), bytesPerCall(c), timings.get("vector"),
                timings.get("scalar"), timings.get("onTheFly"), timings.get("baseline"), timings.get("decodeVector"),
                timings.get("decodeScalar"), timings.get("decodeBaseline"), paired(c),
                RopeBenchmark.nativeMemory(c.memory()) ? HugePages.inUseOffHeap() : HugePages.inUse());
    }

    /** Rounds measured at least, however short the measurement time. */
    static final int MIN_ROUNDS = 5;

    /**
     * The ratios from alternating rounds in this JVM, on {@link RopeBenchmark.Prefill}'s buffers: JMH runs one
     * benchmark after another, and on a shared machine the memory bandwidth drifts between them by more than the
     * differences measured (10-30% here). Each round times, back to back, the baseline, the table kernel, the
     * on-the-fly kernel and the baseline again; the table kernel is compared with the mean of the two baselines
     * around it, the on-the-fly kernel with the table kernel of its round. Warm-up for
     * {@code warmupIterations * iterationMillis} ms, then rounds for {@code iterations * iterationMillis} ms (at
     * least {@value #MIN_ROUNDS}).
     */
    static Paired paired(Config c) {
        RopeBenchmark.Prefill s = new RopeBenchmark.Prefill();
        s.headDim = c.headDim();
        s.heads = c.heads();
        s.kvHeads = c.kvHeads();
        s.tokens = c.tokens();
        s.layout = c.layout();
        s.threads = c.threads();
        s.dtype = c.dtype();
        s.memory = c.memory();
        s.setUp();
        try {
            long warmEnd = System.nanoTime() + (long) c.warmupIterations() * c.iterationMillis() * 1_000_000L;
            do {
                s.negate();
                s.rotate(s.vector);
                s.rotate(s.onTheFly);
            } while (System.nanoTime() < warmEnd);
            double[] table = new double[64];
            double[] onTheFly = new double[64];
            int rounds = 0;
            long end = System.nanoTime() + (long) c.iterations() * c.iterationMillis() * 1_000_000L;
            while (rounds < MIN_ROUNDS || System.nanoTime() < end) {
                long t0 = System.nanoTime();
                s.negate();
                long t1 = System.nanoTime();
                s.rotate(s.vector);
                long t2 = System.nanoTime();
                s.rotate(s.onTheFly);
                long t3 = System.nanoTime();
                s.negate();
                long t4 = System.nanoTime();
                if (rounds == table.length) {
                    table = Arrays.copyOf(table, 2 * rounds);
                    onTheFly = Arrays.copyOf(onTheFly, 2 * rounds);
                }
                table[rounds] = 0.5 * ((t1 - t0) + (t4 - t3)) / Math.max(1, t2 - t1);
                onTheFly[rounds] = (double) (t2 - t1) / Math.max(1, t3 - t2);
                rounds++;
            }
            return new Paired(Ratio.of(Arrays.copyOf(table, rounds)), Ratio.of(Arrays.copyOf(onTheFly, rounds)));
        } finally {
            s.tearDown();
        }
    }

    /** Forwards whole lines to {@code target}, except the JVM's "Using incubator modules" notice. */
    private static final class NoticeFilter extends OutputStream {
        private static final String NOTICE = "WARNING: Using incubator modules";
        private final PrintStream target;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        NoticeFilter(PrintStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (!text.isEmpty() && !text.startsWith(NOTICE)) {
                target.print(text);
                target.flush();
            }
        }
    }
}
