package dev.posenc.cli.verify;

import dev.posenc.cli.InspectCommand;
import dev.posenc.cli.UserInputException;
import dev.posenc.attention.AttentionSpec;
import dev.posenc.attention.AttentionEncodings;
import dev.posenc.attention.PositionalSelfAttention;
import dev.posenc.attention.RotaryQueryKey;
import dev.posenc.config.HfConfig;
import dev.posenc.config.PositionConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.input.LearnedPositions;
import dev.posenc.input.SinusoidalPositions;
import dev.posenc.logits.T5Buckets;
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
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntUnaryOperator;

/** posenc-core itself, as the {@link Build} that {@code verify}, {@code plot} and {@code report} measure. */
public final class PosencBuild implements Build {
    /** max_position_embeddings for plain RoPE, where nothing depends on it. */
    private static final int UNBOUNDED_CONTEXT = 1 << 30;
    static final int ATTENTION_HEADS = 4;
    static final int ATTENTION_HEAD_DIM = AttentionChecks.MODEL_DIM / ATTENTION_HEADS;

    private PosencBuild() {}

    public static Build create() {
        return new PosencBuild();
    }

    /**
     * {@code RotaryEmbedding} over {@code CosSinOnTheFly} (exact cos/sin, the best kernel), one head, one token. The
     * embeddings are cached per frequencies in a concurrent map, so the kernel is thread-safe.
     */
    @Override
    public RotarySubject rotaryKernel() {
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

    /** {@code SinusoidalPositions.vaswani(d)}: interleaved sin/cos, base 10000, written in double precision. */
    @Override
    public SinusoidalTable sinusoidal() {
        return (positions, dModel) -> {
            SinusoidalPositions pe = SinusoidalPositions.vaswani(dModel);
            double[][] rows = new double[positions][dModel];
            for (int p = 0; p < positions; p++) {
                pe.write(p, rows[p], 0);
            }
            return rows;
        };
    }

    /** {@code LearnedPositions} with seeded Gaussian weights (the values do not matter, the bound does). */
    @Override
    public LearnedTable learnedTable(int length, int dim) {
        SplittableRandom rnd = new SplittableRandom(length);
        float[] weights = new float[length * dim];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) rnd.nextGaussian();
        }
        LearnedPositions table = new LearnedPositions(length, dim, weights);
        return new LearnedTable() {
            @Override
            public int length() {
                return table.maxPositions();
            }

            @Override
            public float[] row(int position) {
                return table.table(position, 1);
            }
        };
    }

    /** {@code T5Buckets.bucket}: HF's {@code _relative_position_bucket}. */
    @Override
    public IntUnaryOperator t5Buckets(int numBuckets, int maxDistance, boolean bidirectional) {
        return new T5Buckets(numBuckets, maxDistance, bidirectional)::bucket;
    }

    /** {@code dev.posenc.logits.AlibiBias.causal}: the paper's slopes, {@code -m_h (i - j)}. */
    @Override
    public AlibiSubject alibi(int heads) {
        return dev.posenc.logits.AlibiBias.causal(heads)::bias;
    }

    /**
     * {@code PositionalSelfAttention} with the reference kernel, bidirectional, {@value #ATTENTION_HEADS} heads of
     * {@value #ATTENTION_HEAD_DIM}, seeded random projections; with no encoding, or with {@code RotaryQueryKey}
     * (RoPE base 10000) on the queries and keys.
     */
    @Override
    public SequenceAttention attention(boolean rope, long seed) {
        int hidden = ATTENTION_HEADS * ATTENTION_HEAD_DIM;
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] w = new float[3][hidden * hidden];
        for (float[] m : w) {
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) (rnd.nextGaussian() / Math.sqrt(hidden));
            }
        }
        AttentionEncodings encodings = rope
                ? AttentionEncodings.ofQueryKey(new RotaryQueryKey(RotaryEmbedding.of(CosSinOnTheFly.of(
                        defaultFrequencies(ATTENTION_HEAD_DIM, 10_000, RopeLayout.HALF)))))
                : AttentionEncodings.none();
        PositionalSelfAttention layer = new PositionalSelfAttention(
                AttentionSpec.of(ATTENTION_HEADS, ATTENTION_HEADS, ATTENTION_HEAD_DIM, false), encodings, hidden,
                w[0], w[1], w[2], PositionalSelfAttention.Kernel.REFERENCE);
        return x -> {
            int tokens = x.length;
            float[] flat = new float[tokens * hidden];
            for (int t = 0; t < tokens; t++) {
                System.arraycopy(x[t], 0, flat, t * hidden, hidden);
            }
            float[] out = layer.forward(flat, tokens);
            float[][] rows = new float[tokens][];
            for (int t = 0; t < tokens; t++) {
                rows[t] = java.util.Arrays.copyOfRange(out, t * hidden, (t + 1) * hidden);
            }
            return rows;
        };
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
            throw new UserInputException(config.getFileName() + ": the model uses "
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
