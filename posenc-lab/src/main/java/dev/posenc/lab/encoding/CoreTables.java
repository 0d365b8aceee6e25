package dev.posenc.lab.encoding;

import dev.posenc.input.PositionDynamics;
import dev.posenc.input.RecurrentPositions;
import dev.posenc.input.RotationDynamics;
import dev.posenc.input.SinusoidLayout;
import dev.posenc.input.SinusoidalPositions;
import dev.posenc.logits.AlibiSlopes;
import dev.posenc.logits.DebertaBuckets;
import dev.posenc.logits.ShawDistance;
import dev.posenc.logits.T5Buckets;
import dev.posenc.querykey.CosSinCache;
import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RotaryEmbedding;
import dev.posenc.querykey.XPos;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.OptionalDouble;

/**
 * The one place the lab takes tables, indices, slopes and frequencies from: each method names the posenc-core API
 * it stands for. The lab never computes these itself elsewhere; encodings whose math must live inside the autograd
 * graph (learnable θ, KERPLE, FIRE, FLOATER) are held equal to the reference here by tests.
 *
 * <p>Every method delegates to posenc-core. Thread-safe
 * (stateless).
 */
public final class CoreTables {
    private CoreTables() {}

    /**
     * RoPE frequencies of a model trained at {@code trainLength} with rope type {@code scaling}, as Hugging Face
     * computes them for a forward pass over {@code seqLen} positions: posenc-core's {@link RopeSpec#frequencies(long)}
     * (HF v5 {@code modeling_rope_utils}), half ("NeoX") layout, the whole head rotated.
     */
    static RotaryFrequencies rope(int headDim, double theta, int trainLength, RopeScaling scaling, int seqLen) {
        return new RopeSpec(headDim, headDim, RopeLayout.HALF, theta, trainLength, scaling).frequencies(seqLen);
    }

    /** Default RoPE, {@code inv_freq[i] = θ^(−2i/d)} (HF {@code _compute_default_rope_parameters}). */
    public static RotaryFrequencies ropeDefault(int headDim, double theta) {
        // max_position_embeddings does not enter default RoPE.
        return rope(headDim, theta, 1, new RopeScaling.Default(), 0);
    }

    /** Linear / position interpolation (arXiv:2306.15595): {@code inv_freq / factor}. */
    public static RotaryFrequencies ropeLinear(int headDim, double theta, double factor) {
        return rope(headDim, theta, 1, new RopeScaling.Linear(factor), 0);
    }

    /** NTK-aware static scaling: {@code θ' = θ·s^(d/(d−2))}. */
    public static RotaryFrequencies ropeNtk(int headDim, double theta, double factor) {
        return rope(headDim, theta, 1, new RopeScaling.Ntk(factor), 0);
    }

    /**
     * HF dynamic NTK for a forward pass over {@code seqLen} positions of a model trained at {@code trainLength}:
     * {@code θ' = θ·(s·ℓ/L − (s−1))^(d/(d−2))} when {@code ℓ > L}, else unscaled.
     */
    public static RotaryFrequencies ropeDynamic(int headDim, double theta, double factor, int trainLength, int seqLen) {
        return rope(headDim, theta, trainLength, new RopeScaling.Dynamic(factor), seqLen);
    }

    /**
     * YaRN (arXiv:2309.00071) with HF's defaults (beta_fast 32, beta_slow 1, truncate, attention factor
     * {@code 0.1·ln(s) + 1}) for a model trained at {@code trainLength}.
     */
    public static RotaryFrequencies ropeYarn(int headDim, double theta, double factor, int trainLength) {
        return rope(headDim, theta, (int) Math.round(factor * trainLength),
                new RopeScaling.Yarn(factor, trainLength, 32, 1, true, OptionalDouble.empty(), 0, 0), 0);
    }

    /**
     * cos and sin of {@code position·inv_freq[i]} times {@code attention_scaling}, for positions {@code [0, seqLen)}:
     * posenc-core's {@link CosSinCache} (angles in double, exact), laid out for the half layout: row {@code p} is
     * {@code [c_0..c_{d/2−1}, c_0..c_{d/2−1}]}. Returns {@code {cos, sin}} flattened {@code [seqLen × headDim]}.
     */
    public static float[][] ropeCosSin(RotaryFrequencies frequencies, int seqLen) {
        CosSinCache cache = CosSinCache.of(frequencies, 0, seqLen);
        int d = frequencies.rotaryDim();
        int half = d / 2;
        float[] cos = new float[seqLen * d];
        float[] sin = new float[seqLen * d];
        for (int p = 0; p < seqLen; p++) {
            for (int i = 0; i < half; i++) {
                cos[p * d + i] = cache.cos(p, i);
                cos[p * d + half + i] = cache.cos(p, i);
                sin[p * d + i] = cache.sin(p, i);
                sin[p * d + half + i] = cache.sin(p, i);
            }
        }
        return new float[][] {cos, sin};
    }

    /**
     * xPos query factor {@code ζ_i^((n − center)/B)} of pair {@code pair} at position {@code n}, center 0 (the key
     * factor is its inverse): posenc-core's {@link XPos} (arXiv:2212.10554; rotary-embedding-torch).
     */
    static double xposQueryScale(double scaleBase, int rotaryDim, int pair, int position) {
        return new XPos(scaleBase, 0).queryScale(rotaryDim, pair, position);
    }

    /** ALiBi slopes, paper form incl. head counts that are not powers of two: {@link AlibiSlopes#paper}. */
    static double[] alibiSlopes(int heads) {
        return AlibiSlopes.paper(heads);
    }

    /** T5 bucket of key {@code key} seen from query {@code query} (HF {@code _relative_position_bucket}). */
    static int t5Bucket(int query, int key, boolean bidirectional, int numBuckets, int maxDistance) {
        return new T5Buckets(numBuckets, maxDistance, bidirectional).bucket(query, key);
    }

    /**
     * DeBERTa-v2 row of the relative table for query {@code query} and key {@code key}: HF's
     * {@code clamp(make_log_bucket_position(q − k) + att_span, 0, 2·att_span − 1)} ({@link DebertaBuckets}).
     */
    static int debertaIndex(int query, int key, int positionBuckets, int maxRelativePositions) {
        return new DebertaBuckets(positionBuckets, maxRelativePositions).embeddingIndex(query, key);
    }

    /** Shaw et al. (arXiv:1803.02155) row {@code clip(j − i, −k, k) + k} of a {@code 2k+1} table ({@link ShawDistance}). */
    static int shawIndex(int query, int key, int maxRelative) {
        return ShawDistance.index(query, key, maxRelative);
    }

    /**
     * Vaswani sinusoidal table (arXiv:1706.03762, interleaved sin/cos), {@code [positions × dim]} flattened:
     * {@link SinusoidalPositions#vaswani}.
     */
    public static float[] sinusoidalInterleaved(int positions, int dim) {
        return SinusoidalPositions.vaswani(dim).table(0, positions);
    }

    /**
     * Transformer-XL relative sinusoid (arXiv:1901.02860, concatenated {@code [sin ‖ cos]}): row {@code r} encodes
     * distance {@code r}; {@code [distances × dim]} flattened ({@link SinusoidalPositions}, concatenated layout).
     */
    static float[] sinusoidalConcatenated(int distances, int dim) {
        return new SinusoidalPositions(dim, SinusoidalPositions.DEFAULT_BASE, SinusoidLayout.CONCATENATED)
                .table(0, distances);
    }

    /**
     * FLOATER's sinusoid case (arXiv:2003.09229, §3.2), where the lab's {@link Floater} starts:
     * {@link RecurrentPositions#ofSinusoid} of Vaswani's interleaved sinusoid ({@link SinusoidalPositions#vaswani}),
     * RK4 with one step per position. Its dynamics are the {@link RotationDynamics} at
     * {@code ω_i = 10000^(−2i/d)} ({@link SinusoidalPositions#angularFrequency}), its initial state sines 0, cosines 1.
     */
    static RecurrentPositions floaterSinusoid(int dim) {
        return RecurrentPositions.ofSinusoid(SinusoidalPositions.vaswani(dim), 1);
    }

    /**
     * The generator {@code Ω} of linear, time-independent dynamics {@code h(p) = Ω·p} (such as
     * {@link RotationDynamics}) as the matrix acting on row vectors, {@code Ωᵀ} flattened {@code [dim × dim]}: row
     * {@code k} is {@code h(e_k)}, so that {@code (p·Ωᵀ)_o = Σ_k p_k Ω_ok = h(p)_o}.
     */
    static float[] generatorTransposed(PositionDynamics linear, int dim) {
        float[] transposed = new float[dim * dim];
        double[] unit = new double[dim];
        double[] column = new double[dim];
        for (int k = 0; k < dim; k++) {
            unit[k] = 1;
            linear.derivative(0, unit, column);
            unit[k] = 0;
            for (int o = 0; o < dim; o++) {
                if (column[o] != 0) { // zeros stay +0 (ω·0 negated is −0)
                    transposed[k * dim + o] = (float) column[o];
                }
            }
        }
        return transposed;
    }

    /**
     * Applies RoPE in place, half layout, to queries and keys laid out {@code [heads, seqLen, headDim]}
     * (head-major): posenc-core's {@link RotaryEmbedding} (its Vector API kernel when the incubator module is
     * resolved, else the scalar one), one pass over memory.
     */
    public static void ropeApplyInPlace(RotaryFrequencies frequencies, float[] query, float[] key, int heads, int seqLen) {
        HeadStrides strides = HeadStrides.headMajor(heads, seqLen, frequencies.headDim());
        RotaryEmbedding.of(CosSinCache.of(frequencies, 0, seqLen))
                .apply(RopePositions.startingAt(0), seqLen, query, strides, key, strides);
    }
}
