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
 * same run, in a forked JVM with the given heap ({@code -Xmx}) and the Vector API module resolved. JMH's own output
 * and the forked JVM's go to standard error, so that standard output carries only the caller's result.
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
     * @param warmups warm-up calls
     * @param iterations measured calls
     */
    public record Config(int seqLen, int headDim, int heads, int kvHeads, List<String> biases, String heap, int forks,
                         int warmups, int iterations) {
        public Config {
            biases = List.copyOf(biases);
        }
    }

    /**
     * One measured bias.
     *
     * @param bias {@code none}, {@code alibi} or {@code t5}
     * @param milliseconds mean time of one attention call
     * @param error the 99.9% confidence half-width JMH reports (NaN with fewer than two iterations)
     * @param bestMilliseconds the fastest call: on a shared machine the least disturbed measurement
     */
    public record Result(String bias, double milliseconds, double error, double bestMilliseconds) {}

    private AttentionBenchmarkRunner() {}

    /** Runs the baseline and the biases; results in the order {@code none}, then {@code config.biases()}. */
    public static List<Result> run(Config config) throws RunnerException {
        List<String> all = new ArrayList<>();
        all.add("none");
        all.addAll(config.biases());
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(AttentionBenchmark.class.getName() + ".attend")
                .param("seqLen", Integer.toString(config.seqLen()))
                .param("headDim", Integer.toString(config.headDim()))
                .param("heads", Integer.toString(config.heads()))
                .param("kvHeads", Integer.toString(config.kvHeads()))
                .param("bias", all.toArray(String[]::new))
                .forks(config.forks())
                .warmupIterations(config.warmups())
                .measurementIterations(config.iterations())
                .verbosity(VerboseMode.SILENT)
                .jvmArgsAppend("-Xmx" + config.heap(), "-Xms" + config.heap(), "--add-modules", "jdk.incubator.vector",
                        "--sun-misc-unsafe-memory-access=allow");
        Collection<RunResult> results = new Runner(options.build(),
                OutputFormatFactory.createFormatInstance(System.err, VerboseMode.SILENT)).run();
        Map<String, Result> byBias = new LinkedHashMap<>();
        for (RunResult r : results) {
            String bias = r.getParams().getParam("bias");
            byBias.put(bias, new Result(bias, r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    r.getPrimaryResult().getStatistics().getMin()));
        }
        List<Result> ordered = new ArrayList<>();
        for (String bias : all) {
            ordered.add(byBias.get(bias));
        }
        return ordered;
    }
}
