package dev.posenc.cli;

import dev.posenc.bench.RopeBench;
import dev.posenc.querykey.RopeKernel;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.RunnerException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code posenc bench rope}: the in-place RoPE kernels on float32, float16 or bfloat16 queries and keys, next to the scalar reference
 * and an in-place memory-bandwidth baseline measured in the same run (JMH, see
 * {@code dev.posenc.bench.RopeBenchmark}).
 */
@Command(
        name = "rope",
        mixinStandardHelpOptions = true,
        description = {
            "Time in-place RoPE on float32 (or --dtype float16/bfloat16) queries and keys ([tokens][heads][head_dim]): the Vector API kernel, the"
                    + " scalar reference and a read-and-write-every-float baseline on the same buffers, plus one"
                    + " decoding step (1 token).",
            "Bytes count each query/key element read once and written once (8 bytes, 4 for halves); cos/sin"
                    + " tables excluded.",
            "Throughput uses the median prefill call (robust to preemption on a shared machine); means are shown too."
        })
public final class BenchRopeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--head-dim", description = "head_dim, even (default ${DEFAULT-VALUE})", defaultValue = "128")
    int headDim;

    @Option(names = "--heads", description = "query heads (default ${DEFAULT-VALUE})", defaultValue = "32")
    int heads;

    @Option(names = "--kv-heads", description = "key heads (default ${DEFAULT-VALUE})", defaultValue = "8")
    int kvHeads;

    @Option(names = "--tokens", description = "tokens per prefill call (default ${DEFAULT-VALUE})", defaultValue = "4096")
    int tokens;

    @Option(names = "--layout", description = "half or interleaved (default ${DEFAULT-VALUE})", defaultValue = "half")
    String layout;

    @Option(names = "--threads", description = "threads splitting the tokens, through RotaryEmbedding.withExecutor"
            + " (default ${DEFAULT-VALUE})", defaultValue = "1")
    int threads;

    @Option(names = "--dtype", description = "float32, float16 or bfloat16 (default ${DEFAULT-VALUE})",
            defaultValue = "float32")
    String dtype;

    @Option(names = "--memory", description = "heap (float[]/short[] queries and keys) or native (MemorySegments"
            + " from an arena, large ones 2 MiB-aligned, as an engine's buffers; the segment overloads of"
            + " RotaryEmbedding.apply) (default ${DEFAULT-VALUE})", defaultValue = "heap")
    String memory;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--warmup", description = "JMH warmup iterations (default ${DEFAULT-VALUE})", defaultValue = "3")
    int warmup;

    @Option(names = "--iterations", description = "JMH measurement iterations (default ${DEFAULT-VALUE})",
            defaultValue = "5")
    int iterations;

    @Option(names = "--iteration-ms", description = "length of one JMH iteration in ms (default ${DEFAULT-VALUE})",
            defaultValue = "500")
    int iterationMillis;

    @Option(names = "--forks", description = "JMH forks; 0 runs in this JVM (default ${DEFAULT-VALUE})",
            defaultValue = "1")
    int forks;

    @Override
    public Integer call() throws RunnerException {
        RopeBench.Config config = validated();
        RopeBench.Result result;
        try {
            result = RopeBench.run(config);
        } catch (RunnerException e) {
            if (String.valueOf(e.getMessage()).contains("JMH lock")) {
                throw new UserInputException("another JMH benchmark is running on this machine (it holds "
                        + "/tmp/jmh.lock); run again when it has finished, as two at once would distort both");
            }
            throw e;
        }
        String text = json ? JsonOutput.write(toJson(result)) : table(result);
        PrintWriter out = spec.commandLine().getOut();
        out.println(text);
        out.flush();
        return 0;
    }

    private RopeBench.Config validated() {
        positive("--heads", heads);
        positive("--kv-heads", kvHeads);
        positive("--tokens", tokens);
        positive("--threads", threads);
        positive("--iterations", iterations);
        positive("--iteration-ms", iterationMillis);
        if (headDim < 2 || headDim % 2 != 0) {
            throw new UserInputException("--head-dim: expected an even number >= 2, got " + headDim);
        }
        if (!layout.equals("half") && !layout.equals("interleaved")) {
            throw new UserInputException("--layout: expected half or interleaved, got \"" + layout + "\"");
        }
        if (!dtype.equals("float32") && !dtype.equals("float16") && !dtype.equals("bfloat16")) {
            throw new UserInputException("--dtype: expected float32, float16 or bfloat16, got \"" + dtype + "\"");
        }
        if (!memory.equals("heap") && !memory.equals("native")) {
            throw new UserInputException("--memory: expected heap or native, got \"" + memory + "\"");
        }
        if (threads > tokens) {
            throw new UserInputException("--threads: expected at most --tokens=" + tokens + ", got " + threads);
        }
        if (warmup < 0 || forks < 0) {
            throw new UserInputException("--warmup and --forks: expected numbers >= 0, got " + warmup + " and " + forks);
        }
        long floats = (long) Math.max(heads, kvHeads) * tokens * headDim;
        if (floats > Integer.MAX_VALUE - 8) {
            throw new UserInputException("--heads x --tokens x --head-dim = " + floats
                    + " floats does not fit in one Java array; use fewer tokens");
        }
        if (RopeKernel.vector().isEmpty()) {
            throw new UserInputException("the Vector API module is not resolved; run through ./posenc, which adds"
                    + " --add-modules jdk.incubator.vector for bench");
        }
        return new RopeBench.Config(headDim, heads, kvHeads, tokens, layout, threads, dtype, memory, warmup, iterations,
                iterationMillis, forks);
    }

    private static void positive(String option, int value) {
        if (value < 1) {
            throw new UserInputException(option + ": expected a number >= 1, got " + value);
        }
    }

    static Map<String, Object> toJson(RopeBench.Result r) {
        RopeBench.Config c = r.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "rope");
        m.put("kernel", r.kernel());
        m.put("layout", c.layout());
        m.put("head_dim", c.headDim());
        m.put("heads", c.heads());
        m.put("kv_heads", c.kvHeads());
        m.put("tokens", c.tokens());
        m.put("threads", c.threads());
        m.put("dtype", c.dtype());
        m.put("memory", c.memory());
        m.put("bytes_per_call", r.bytesPerCall());
        m.put("bytes_per_s", r.bytesPerSecond());
        m.put("elements_per_s", r.elementsPerSecond());
        m.put("scalar_bytes_per_s", r.scalarBytesPerSecond());
        m.put("baseline_bytes_per_s", r.baselineBytesPerSecond());
        m.put("on_the_fly_bytes_per_s", r.onTheFlyBytesPerSecond());
        m.put("on_the_fly_fraction_of_table", r.onTheFlyFractionOfTable());
        m.put("on_the_fly_ns_per_call", r.onTheFly().nsPerCall());
        m.put("fraction_of_bandwidth", r.fractionOfBandwidth());
        m.put("fraction_of_bandwidth_quartiles", quartiles(r.paired().tableOverBaseline()));
        m.put("on_the_fly_fraction_of_table_quartiles", quartiles(r.paired().onTheFlyOverTable()));
        m.put("paired_rounds", r.paired().tableOverBaseline().rounds());
        m.put("jmh_fraction_of_bandwidth", r.jmhFractionOfBandwidth());
        m.put("jmh_on_the_fly_fraction_of_table", r.jmhOnTheFlyFractionOfTable());
        m.put("speedup_over_scalar", r.speedupOverScalar());
        m.put("ns_per_call", r.vector().nsPerCall());
        m.put("ns_per_call_mean", r.vector().meanNs());
        m.put("ns_per_call_mean_error", r.vector().errorNs());
        m.put("scalar_ns_per_call", r.scalar().nsPerCall());
        m.put("scalar_ns_per_call_mean", r.scalar().meanNs());
        m.put("baseline_ns_per_call", r.baseline().nsPerCall());
        m.put("baseline_ns_per_call_mean", r.baseline().meanNs());
        m.put("decode_ns_per_call", r.decodeVector().nsPerCall());
        m.put("decode_ns_per_call_error", r.decodeVector().errorNs());
        m.put("decode_scalar_ns_per_call", r.decodeScalar().nsPerCall());
        m.put("decode_baseline_ns_per_call", r.decodeBaseline().nsPerCall());
        if (c.threads() == 1) {
            m.put("compute_ceiling", r.computeCeiling());
        }
        Map<String, Object> jmh = new LinkedHashMap<>();
        jmh.put("forks", c.forks());
        jmh.put("warmup_iterations", c.warmupIterations());
        jmh.put("iterations", c.iterations());
        jmh.put("iteration_ms", c.iterationMillis());
        jmh.put("prefill", "median call of JMH SampleTime; *_mean: mean call; *_error: 99.9% half-width, ns");
        jmh.put("decode", "mean call of JMH AverageTime");
        jmh.put("compute_ceiling", "baseline ns per element of the prefill call over the decoding step's ns per"
                + " element (its token in cache); below 1 the kernel is bound by its instructions; one thread only");
        jmh.put("fractions", "fraction_of_bandwidth and on_the_fly_fraction_of_table: medians over alternating"
                + " rounds in one JVM (baseline, table, on the fly, baseline); jmh_*: the same from the JMH medians");
        m.put("jmh", jmh);
        m.put("transparent_huge_pages", r.hugePages());
        m.put("java", Runtime.version().toString());
        m.put("available_processors", Runtime.getRuntime().availableProcessors());
        return m;
    }

    private static List<Double> quartiles(RopeBench.Ratio r) {
        return List.of(r.q1(), r.median(), r.q3());
    }

    private static String table(RopeBench.Result r) {
        RopeBench.Config c = r.config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "RoPE in place, %s, layout %s: %d query + %d key heads x %d dims x %d"
                        + " tokens, %d thread(s); %.1f MiB per call%n", c.dtype(), c.layout(), c.heads(), c.kvHeads(),
                c.headDim(), c.tokens(), c.threads(), r.bytesPerCall() / 1048576.0));
        sb.append(String.format(Locale.ROOT, "%-24s %10s %16s %10s%n", "", "median ms", "mean ms", "GB/s"));
        row(sb, r.kernel() + " kernel", r.vector(), r.bytesPerSecond());
        row(sb, "scalar kernel", r.scalar(), r.scalarBytesPerSecond());
        row(sb, "exact cos/sin on the fly", r.onTheFly(), r.onTheFlyBytesPerSecond());
        row(sb, "baseline (x = -x)", r.baseline(), r.baselineBytesPerSecond());
        RopeBench.Ratio table = r.paired().tableOverBaseline();
        RopeBench.Ratio fly = r.paired().onTheFlyOverTable();
        sb.append(String.format(Locale.ROOT, "%.0f%% of the in-place bandwidth baseline (quartiles %.0f-%.0f%% over %d"
                        + " alternating rounds; JMH medians: %.0f%%); %.1fx the scalar kernel%n",
                100 * table.median(), 100 * table.q1(), 100 * table.q3(), table.rounds(),
                100 * r.jmhFractionOfBandwidth(), r.speedupOverScalar()));
        sb.append(String.format(Locale.ROOT, "on the fly %.0f%% of the table kernel (quartiles %.0f-%.0f%%; JMH medians:"
                        + " %.0f%%)%n", 100 * fly.median(), 100 * fly.q1(), 100 * fly.q3(),
                100 * r.jmhOnTheFlyFractionOfTable()));
        sb.append(String.format(Locale.ROOT, "decode (1 token, %d + %d heads): %.0f ns per call (scalar %.0f ns; the"
                        + " in-cache baseline, x = -x over the same token, %.0f ns)", c.heads(), c.kvHeads(),
                r.decodeVector().nsPerCall(), r.decodeScalar().nsPerCall(), r.decodeBaseline().nsPerCall()));
        boolean offHeap = c.memory().equals("native");
        sb.append(String.format(Locale.ROOT, "%nmemory: %s on %s, kernel and baseline alike", offHeap
                ? "native segments (2 MiB-aligned)" : "heap arrays", r.hugePages()
                ? (offHeap ? "transparent huge pages (the kernel's mode is always)"
                        : "transparent huge pages (-XX:+UseTransparentHugePages)")
                : "4 KiB pages (no transparent huge pages)"));
        if (c.threads() == 1) {
            double ceiling = r.computeCeiling();
            sb.append(String.format(Locale.ROOT, "%ncompute ceiling: the decoding step (its token in cache) takes %.3f ns"
                            + " per element, the baseline moves one in %.3f ns: %s",
                    r.decodeVector().nsPerCall() / ((double) (c.heads() + c.kvHeads()) * c.headDim()),
                    r.baseline().nsPerCall() / ((double) (c.heads() + c.kvHeads()) * c.headDim() * c.tokens()),
                    ceiling >= 1 ? String.format(Locale.ROOT, "%.1fx, bound by memory", ceiling)
                            : String.format(Locale.ROOT, "at most %.0f%% of the baseline is within reach here (bound"
                                    + " by instructions)", 100 * ceiling)));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, RopeBench.Timing t, double bytesPerSecond) {
        sb.append(String.format(Locale.ROOT, "%-24s %10.3f %8.3f ±%-6.3f %10.2f%n", name, t.nsPerCall() / 1e6,
                t.meanNs() / 1e6, t.errorNs() / 1e6, bytesPerSecond / 1e9));
    }
}
