package dev.posenc.cli.verify;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RotaryFrequencies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * The implementation that {@code verify}, {@code plot} and {@code report} measure: everything they need from
 * posenc-core, behind one interface so each check can also be run on a deliberately broken subject in tests.
 * {@link PosencBuild} is posenc-core itself; nothing here re-implements an encoding.
 */
public interface Build {
    /** RoPE applied to one head at one position. */
    RotarySubject rotaryKernel();

    /** Plain RoPE frequencies, {@code inv_freq[i] = theta^(-2i/d)} as the build computes them (HF "default"). */
    RotaryFrequencies defaultFrequencies(int headDim, double ropeTheta, RopeLayout layout);

    /**
     * The frequencies each context-extension method uses for a model trained at {@code originalContext}, extended
     * by {@code factor}, evaluated at sequence length {@code seqLen} (dynamic NTK and LongRoPE depend on it).
     */
    List<Labeled<RotaryFrequencies>> scalingMethods(int headDim, double ropeTheta, int originalContext, double factor,
                                                    int seqLen);

    /** Vaswani's sinusoidal table (interleaved sin/cos). */
    SinusoidalTable sinusoidal();

    /** A learned absolute table of {@code length} positions. */
    LearnedTable learnedTable(int length, int dim);

    /** T5's relative-position bucket of {@code key - query}. */
    IntUnaryOperator t5Buckets(int numBuckets, int maxDistance, boolean bidirectional);

    /** ALiBi with the paper's slopes for {@code heads} heads, causal. */
    AlibiSubject alibi(int heads);

    /** Bidirectional multi-head attention without positions ({@code rope = false}) or with RoPE on q/k. */
    SequenceAttention attention(boolean rope, long seed);

    /** What a Hugging Face config uses for positions: the {@code posenc inspect --json} object. */
    Map<String, Object> inspect(Path config);

    /** A config's RoPE frequencies, unscaled and as its scaling leaves them, pair by pair. */
    ConfigBands bands(Path config);

    /**
     * A value with the name it is shown under.
     *
     * @param label e.g. {@code yarn (factor 4)}
     * @param value the value
     */
    record Labeled<T>(String label, T value) {}
}
