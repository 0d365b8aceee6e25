package dev.posenc.bench;

import dev.posenc.attention.AttentionInputs;
import dev.posenc.attention.AttentionSpec;
import dev.posenc.attention.AttentionEncodings;
import dev.posenc.attention.StreamingAttention;
import dev.posenc.logits.AlibiBias;
import dev.posenc.logits.T5Buckets;
import dev.posenc.logits.T5RelativeBias;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Causal streaming attention over one sequence with a position bias computed on the fly (ALiBi, T5) and, as the
 * baseline measured in the same run, with none. Each invocation is one whole attention call (all heads), timed
 * once ({@link Mode#SingleShotTime}): at {@code S = 16384} a call takes seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AttentionBenchmark {
    @Param("16384")
    public int seqLen;

    @Param("128")
    public int headDim;

    @Param("1")
    public int heads;

    @Param("1")
    public int kvHeads;

    @Param({"none", "alibi", "t5"})
    public String bias;

    private StreamingAttention attention;
    private AttentionInputs inputs;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        AttentionSpec spec = AttentionSpec.of(heads, kvHeads, headDim, true);
        AttentionEncodings encodings = switch (bias) {
            case "none" -> AttentionEncodings.none();
            case "alibi" -> AttentionEncodings.ofBias(AlibiBias.causal(heads));
            case "t5" -> {
                T5Buckets buckets = new T5Buckets(32, T5Buckets.DEFAULT_MAX_DISTANCE, false);
                yield AttentionEncodings.ofBias(new T5RelativeBias(buckets, heads, gaussian(random, 32 * heads)));
            }
            default -> throw new IllegalArgumentException("unknown bias " + bias + " (none, alibi, t5)");
        };
        attention = new StreamingAttention(spec, encodings);
        inputs = AttentionInputs.selfAttention(gaussian(random, seqLen * heads * headDim),
                gaussian(random, seqLen * kvHeads * headDim), gaussian(random, seqLen * kvHeads * headDim), seqLen);
    }

    @Benchmark
    public float[] attend() {
        return attention.attend(inputs);
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (Math.sqrt(-2 * Math.log(random.nextDouble(1e-12, 1)))
                    * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return out;
    }
}
