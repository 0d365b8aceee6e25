package dev.posenc.cli.verify;

import dev.posenc.cli.InspectCommand;
import dev.posenc.config.HfConfig;
import dev.posenc.config.PositionConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.querykey.CosSinOnTheFly;
import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryEmbedding;
import dev.posenc.querykey.RotaryFrequencies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;

/** posenc-core itself, as the {@link Build} that {@code verify}, {@code plot} and {@code report} measure. */
public final class PosencBuild implements Build {
    /** max_position_embeddings for plain RoPE, where nothing depends on it. */
    private static final int UNBOUNDED_CONTEXT = 1 << 30;

    private PosencBuild() {}

    public static Build create() {
        return new PosencBuild();
    }

    private static UnsupportedOperationException pending(String what) {
        return new UnsupportedOperationException(what + " is not in posenc-core yet");
    }

    /**
     * {@code RotaryEmbedding} over {@code CosSinOnTheFly} (exact cos/sin, the best kernel), one head, one token. The
     * embeddings are cached per frequencies in a concurrent map, so the kernel is thread-safe.
     */
    @Override
    public RotaryKernel rotaryKernel() {
        Map<RotaryFrequencies, RotaryEmbedding> embeddings = new ConcurrentHashMap<>();
        return (f, x, position) -> embeddings.computeIfAbsent(f, k -> RotaryEmbedding.of(CosSinOnTheFly.of(k)))
                .applyToQueries(RopePositions.startingAt(Math.toIntExact(position)), 1, x,
                        HeadStrides.tokenMajor(1, f.headDim()));
    }

    /** {@code RopeSpec} with {@code RopeScaling.Default}: HF's {@code _compute_default_rope_parameters}. */
    @Override
    public RotaryFrequencies defaultFrequencies(int headDim, double ropeTheta, RopeLayout layout) {
        return new RopeSpec(headDim, headDim, layout, ropeTheta, UNBOUNDED_CONTEXT, new RopeScaling.Default())
                .frequencies();
    }

    /**
     * Linear (PI), static NTK, dynamic NTK, YaRN and Llama 3 from {@code RopeSpec}, with Hugging Face's default
     * parameters (YaRN beta_fast 32, beta_slow 1, truncated; Llama 3 low 1, high 4). LongRoPE is left out: its
     * factors are searched per model, there is no generic set.
     */
    @Override
    public List<Labeled<RotaryFrequencies>> scalingMethods(int headDim, double ropeTheta, int originalContext,
                                                           double factor, int seqLen) {
        int extended = (int) Math.round(originalContext * factor);
        String s = Threshold.format(factor);
        return List.of(
                new Labeled<>("linear / PI (factor " + s + ")", spec(headDim, ropeTheta, extended,
                        new RopeScaling.Linear(factor)).frequencies(seqLen)),
                new Labeled<>("NTK-aware base × " + s + "^(d/(d-2))", spec(headDim, ropeTheta, extended,
                        new RopeScaling.Ntk(factor)).frequencies(seqLen)),
                new Labeled<>("dynamic NTK (at " + seqLen + " tokens)", spec(headDim, ropeTheta, originalContext,
                        new RopeScaling.Dynamic(factor)).frequencies(seqLen)),
                new Labeled<>("YaRN (factor " + s + ")", spec(headDim, ropeTheta, extended,
                        new RopeScaling.Yarn(factor, originalContext, 32, 1, true, OptionalDouble.empty(), 0, 0))
                        .frequencies(seqLen)),
                new Labeled<>("llama3 (factor " + s + ", low 1, high 4)", spec(headDim, ropeTheta, extended,
                        new RopeScaling.Llama3(factor, 1, 4, originalContext)).frequencies(seqLen)));
    }

    private static RopeSpec spec(int headDim, double ropeTheta, int maxPositionEmbeddings, RopeScaling scaling) {
        return new RopeSpec(headDim, headDim, RopeLayout.HALF, ropeTheta, maxPositionEmbeddings, scaling);
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

    /** {@code posenc inspect --json}'s object: {@code HfConfig.load} and the inspect command's rendering. */
    @Override
    public Map<String, Object> inspect(Path config) {
        return InspectCommand.inspection(config);
    }

    /**
     * {@code HfConfig.load}, then the spec's frequencies for a pass over the extended context
     * ({@code max_position_embeddings} tokens: LongRoPE's long factors, dynamic NTK at its threshold), the same spec
     * unscaled ({@code RopeScaling.Default}), and {@code RopeSpec.pairs}'s band per pair.
     */
    @Override
    public ConfigBands bands(Path config) {
        PositionConfig loaded = HfConfig.load(config);
        if (!(loaded.encoding() instanceof RopeEncoding rope)) {
            throw new IllegalArgumentException(config.getFileName() + ": the model uses "
                    + loaded.encoding().kind() + ", not RoPE: it has no frequency bands");
        }
        RopeSpec spec = rope.spec();
        long extended = spec.maxPositionEmbeddings();
        RotaryFrequencies scaled = spec.frequencies(extended);
        RotaryFrequencies unscaled = new RopeSpec(spec.headDim(), spec.rotaryDim(), spec.layout(), spec.ropeTheta(),
                spec.maxPositionEmbeddings(), new RopeScaling.Default()).frequencies();
        double[] inv = new double[scaled.pairs()];
        double[] raw = new double[scaled.pairs()];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = scaled.invFreq(i);
            raw[i] = unscaled.invFreq(i);
        }
        List<String> bands = spec.pairs(extended).stream().map(p -> p.band().id()).toList();
        int original = spec.originalMaxPositionEmbeddings().orElse(spec.maxPositionEmbeddings());
        return new ConfigBands(config.getFileName().toString(), spec.ropeType().id(), original,
                spec.maxPositionEmbeddings(), raw, inv, bands);
    }
}
