package dev.posenc.cli.verify;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RotaryFrequencies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/** posenc-core itself, as the {@link Build} that {@code verify}, {@code plot} and {@code report} measure. */
public final class PosencBuild implements Build {
    private PosencBuild() {}

    public static Build create() {
        return new PosencBuild();
    }

    private static UnsupportedOperationException pending(String what) {
        return new UnsupportedOperationException(what + " is not in posenc-core yet");
    }

    @Override
    public RotaryKernel rotaryKernel() {
        throw pending("the RoPE kernel");
    }

    @Override
    public RotaryFrequencies defaultFrequencies(int headDim, double ropeTheta, RopeLayout layout) {
        throw pending("the RoPE frequency computation");
    }

    @Override
    public List<Labeled<RotaryFrequencies>> scalingMethods(int headDim, double ropeTheta, int originalContext,
                                                           double factor, int seqLen) {
        throw pending("RoPE scaling");
    }

    @Override
    public SinusoidalTable sinusoidal() {
        throw pending("the sinusoidal table");
    }

    @Override
    public LearnedTable learnedTable(int length, int dim) {
        throw pending("the learned table");
    }

    @Override
    public IntUnaryOperator t5Buckets(int numBuckets, int maxDistance, boolean bidirectional) {
        throw pending("T5 buckets");
    }

    @Override
    public AlibiBias alibi(int heads) {
        throw pending("ALiBi");
    }

    @Override
    public SequenceAttention attention(boolean rope, long seed) {
        throw pending("attention");
    }

    @Override
    public Map<String, Object> inspect(Path config) {
        throw pending("config inspection");
    }

    @Override
    public ConfigBands bands(Path config) {
        throw pending("config inspection");
    }
}
