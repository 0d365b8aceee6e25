package dev.posenc.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link AttentionBenchmark} through the JMH runner API: the no-bias baseline and each requested bias in the
 * same run, each in a forked JVM with the given heap ({@code -Xmx}) and the Vector API module resolved. The variants
 * are run in {@code rounds} alternating rounds (none, alibi, t5, none, alibi, t5, ...) so that a change in the load
 * of a shared machine does not fall on one variant only. JMH's own output and the forked JVMs' go to standard error,
 * so that standard output carries only the caller's result.
 */
public final class AttentionBenchmarkRunner {
    /**
     * What to run.
     *
     * @param seqLen sequence length {@code S}
     * @param headDim head size {@code d}
     * @param heads query heads
     * @param kvHeads key/value heads
     * @param biases the biases to compare with {@code none} ({@code alibi}, {@code t5})
     * @param heap the forked JVM's {@code -Xmx} value, e.g. {@code 1g}
     * @param forks JMH forks (0 runs in this JVM, for tests)
     * @param warmups warm-up calls per round
     * @param iterations measured calls per round
     * @param rounds alternating rounds over the variants
     */
    public record Config(int seqLen, int headDim, int heads, int kvHeads, List<String> biases, String heap, int forks,
                         int warmups, int iterations, int rounds) {
        public Config {
            biases = List.copyOf(biases);
        }
    }

    /**
     * One measured bias.
     *
     * @param bias {@code none}, {@code alibi} or {@code t5}
     * @param milliseconds mean time of one attention call over all rounds
     * @param error the largest 99.9% confidence half-width JMH reported in a round (NaN with one iteration)
     * @param bestMilliseconds the fastest call of all rounds: on a shared machine the least disturbed measurement
     */
    public record Result(String bias, double milliseconds, double error, double bestMilliseconds) {}

    private AttentionBenchmarkRunner() {}

    /** Runs the baseline and the biases; results in the order {@code none}, then {@code config.biases()}. */
    public static List<Result> run(Config config) throws RunnerException {
        List<String> all = new ArrayList<>();
        all.add("none");
        all.addAll(config.biases());
        Map<String, List<RunResult>> byBias = new LinkedHashMap<>();
        for (int round = 0; round < config.rounds(); round++) {
            for (String bias : all) {
                byBias.computeIfAbsent(bias, b -> new ArrayList<>()).add(runOne(config, bias));
            }
        }
        List<Result> results = new ArrayList<>();
        for (String bias : all) {
            double sum = 0;
            long count = 0;
            double error = Double.NaN;
            double best = Double.POSITIVE_INFINITY;
            for (RunResult r : byBias.get(bias)) {
                var statistics = r.getPrimaryResult().getStatistics();
                sum += statistics.getSum();
                count += statistics.getN();
                double e = r.getPrimaryResult().getScoreError();
                error = Double.isNaN(error) ? e : Math.max(error, e);
                best = Math.min(best, statistics.getMin());
            }
            results.add(new Result(bias, sum / count, error, best));
        }
        return results;
    }

    private static String[] forkArgs(Config config) {
        List<String> args = new ArrayList<>(List.of("-Xmx" + config.heap(), "-Xms" + config.heap(),
                "-XX:+AlwaysPreTouch", "--add-modules", "jdk.incubator.vector",
                "--sun-misc-unsafe-memory-access=allow"));
        args.addAll(HugePages.forkFlags());
        return args.toArray(String[]::new);
    }

    private static RunResult runOne(Config config, String bias) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(AttentionBenchmark.class.getName() + ".attend")
                .param("seqLen", Integer.toString(config.seqLen()))
                .param("headDim", Integer.toString(config.headDim()))
                .param("heads", Integer.toString(config.heads()))
                .param("kvHeads", Integer.toString(config.kvHeads()))
                .param("bias", bias)
                .forks(config.forks())
                .warmupIterations(config.warmups())
                .measurementIterations(config.iterations())
                .verbosity(VerboseMode.SILENT)
                // the whole heap touched at start: each call allocates its key/value copies in heap not yet used,
                // and without this the first-touch page faults (about 3% of a call at S = 4096 here; more on huge
                // pages, which a fault zeroes 2 MiB at a time) were timed as attention
                .jvmArgsAppend(forkArgs(config));
        Collection<RunResult> results = new Runner(options.build(),
                OutputFormatFactory.createFormatInstance(System.err, VerboseMode.SILENT)).run();
        return results.iterator().next();
    }
}
