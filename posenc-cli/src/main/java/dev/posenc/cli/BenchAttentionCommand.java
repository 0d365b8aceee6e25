package dev.posenc.cli;

import dev.posenc.bench.AttentionBenchmarkRunner;
import dev.posenc.bench.AttentionBenchmarkRunner.Config;
import dev.posenc.bench.AttentionBenchmarkRunner.Result;
import dev.posenc.bench.FmaPeak;
import java.util.ArrayList;
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
 * {@code posenc bench attention}: causal streaming attention with ALiBi and T5 biases computed on the fly, each
 * timed next to the same attention without a bias, in a forked JVM with a bounded heap.
 */
@Command(
        name = "attention",
        mixinStandardHelpOptions = true,
        description = {"Time causal streaming attention with a position bias (ALiBi, T5) against the same attention"
                + " without one.",
            "Both are measured in the same JMH run, in a forked JVM with a bounded heap (default -Xmx1g)"
                + " touched whole at start."})
public final class BenchAttentionCommand implements Callable<Integer> {
    private static final int FMA_ROUNDS = 3;
    private static final int FMA_ROUND_MS = 300;

    @Spec
    CommandSpec spec;

    @Option(names = "--seq-len", defaultValue = "16384", description = "sequence length S (default: ${DEFAULT-VALUE})")
    int seqLen;

    @Option(names = "--head-dim", defaultValue = "128", description = "head size d (default: ${DEFAULT-VALUE})")
    int headDim;

    @Option(names = "--heads", defaultValue = "1", description = "query heads (default: ${DEFAULT-VALUE})")
    int heads;

    @Option(names = "--kv-heads", description = "key/value heads (default: --heads; fewer for GQA/MQA)")
    Integer kvHeads;

    @Option(names = "--bias", defaultValue = "alibi,t5", split = ",",
            description = "biases to compare with none: alibi, t5 (default: ${DEFAULT-VALUE})")
    List<String> biases;

    @Option(names = "--heap", defaultValue = "1g", description = "the forked JVM's -Xmx (default: ${DEFAULT-VALUE})")
    String heap;

    @Option(names = "--warmup", defaultValue = "2", description = "warm-up calls per bias (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--iterations", defaultValue = "3", description = "measured calls per bias (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--rounds", defaultValue = "2",
            description = "alternating rounds over none and the biases (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--forks", defaultValue = "1", hidden = true, description = "JMH forks (0: in this JVM)")
    int forks;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int kv = kvHeads == null ? heads : kvHeads;
        if (seqLen < 1 || headDim < 1 || heads < 1 || kv < 1) {
            throw new UserInputException("--seq-len, --head-dim, --heads and --kv-heads must be >= 1");
        }
        if (heads % kv != 0) {
            throw new UserInputException("--kv-heads (" + kv + ") must divide --heads (" + heads + ")");
        }
        if (warmups < 0 || iterations < 1 || rounds < 1 || forks < 0) {
            throw new UserInputException("--warmup must be >= 0, --iterations and --rounds >= 1");
        }
        if (!heap.matches("[0-9]+[kKmMgG]?")) {
            throw new UserInputException("--heap must be a JVM size like 1g or 768m, got " + heap);
        }
        List<String> chosen = new ArrayList<>();
        for (String b : biases) {
            String name = b.strip().toLowerCase(Locale.ROOT);
            if (!name.equals("alibi") && !name.equals("t5")) {
                throw new UserInputException("--bias must list alibi and/or t5, got " + b);
            }
            if (!chosen.contains(name)) {
                chosen.add(name);
            }
        }
        if (!json) {
            spec.commandLine().getErr().println("posenc: timing causal streaming attention, S=" + seqLen + ", d=" + headDim
                    + ", heads " + heads + "/" + kv + ", biases none," + String.join(",", chosen) + " (" + rounds + " rounds of "
                    + (warmups + iterations) + " calls each, -Xmx" + heap + ")...");
        }
        List<Result> results;
        try {
            results = AttentionBenchmarkRunner.run(
                    new Config(seqLen, headDim, heads, kv, chosen, heap, forks, warmups, iterations, rounds));
        } catch (RunnerException e) {
            if (String.valueOf(e.getMessage()).contains("jmh.lock")) {
                throw new UserInputException("another JMH benchmark is running on this machine (it holds /tmp/jmh.lock);"
                        + " run this one when it has finished");
            }
            throw e;
        }
        double baseline = results.get(0).milliseconds();
        double bestBaseline = results.get(0).bestMilliseconds();
        // measured here, after the attention rounds, on this JVM's thread: the same machine, the same load
        double fmaPeak = FmaPeak.gflops(FMA_ROUNDS, FMA_ROUND_MS);
        // 4·d flops per query/key pair (q·k and p·v), S(S+1)/2 pairs per head when causal
        double flops = 4.0 * headDim * ((double) seqLen * (seqLen + 1) / 2) * heads;
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("seq_len", seqLen);
            out.put("head_dim", headDim);
            out.put("heads", heads);
            out.put("kv_heads", kv);
            out.put("causal", true);
            out.put("heap", heap);
            out.put("rounds", rounds);
            out.put("iterations_per_round", iterations);
            out.put("flops_per_call", flops);
            out.put("fma_peak_gflops", fmaPeak);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Result r : results) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("bias", r.bias());
                row.put("ms", r.milliseconds());
                row.put("ms_error", Double.isNaN(r.error()) ? null : r.error());
                row.put("ratio_to_none", r.milliseconds() / baseline);
                row.put("best_ms", r.bestMilliseconds());
                row.put("best_ratio_to_none", r.bestMilliseconds() / bestBaseline);
                row.put("gflops", flops / (r.milliseconds() * 1e6));
                row.put("best_fraction_of_fma_peak", flops / (r.bestMilliseconds() * 1e6) / fmaPeak);
                rows.add(row);
            }
            out.put("results", rows);
            spec.commandLine().getOut().println(JsonOutput.write(out));
            return 0;
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "causal streaming attention, S=%d, d=%d, heads %d/%d, -Xmx%s%n", seqLen, headDim, heads, kv, heap));
        text.append(String.format(Locale.ROOT, "%-6s %12s %10s %8s %12s %8s%n", "bias", "mean ms", "± (99.9%)",
                "ratio", "best ms", "ratio"));
        for (Result r : results) {
            text.append(String.format(Locale.ROOT, "%-6s %12.1f %10s %8.3f %12.1f %8.3f%n", r.bias(), r.milliseconds(),
                    Double.isNaN(r.error()) ? "-" : String.format(Locale.ROOT, "%.1f", r.error()),
                    r.milliseconds() / baseline, r.bestMilliseconds(), r.bestMilliseconds() / bestBaseline));
        }
        text.append("ratio: to the no-bias attention in the same run; best: the fastest call of each (least disturbed)")
                .append(System.lineSeparator());
        text.append(String.format(Locale.ROOT, "FMA peak (one thread, Vector API fma loop, same run): %.1f GFLOP/s; "
                + "no bias %.1f GFLOP/s mean, best call %.1f GFLOP/s = %.0f%% of the peak%n", fmaPeak,
                flops / (baseline * 1e6), flops / (bestBaseline * 1e6), 100 * flops / (bestBaseline * 1e6) / fmaPeak));
        spec.commandLine().getOut().print(text);
        return 0;
    }
}
