package dev.posenc.querykey;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Everything that determines a model's rotary frequencies: the head geometry, the base {@code rope_theta}, the
 * context length and the rope type with its parameters. This is what a Hugging Face {@code config.json} says about
 * RoPE once standardized ({@code dev.posenc.config} builds it); an inference engine asks it for the
 * {@link RotaryFrequencies} to rotate with.
 *
 * <pre>{@code
 * RopeSpec spec = new RopeSpec(128, 128, RopeLayout.HALF, 500000.0, 131072,
 *         new RopeScaling.Llama3(8.0, 1.0, 4.0, 8192));
 * RotaryFrequencies atInit = spec.frequencies();          // what HF computes when the model is built
 * RotaryFrequencies at32k = spec.frequencies(32768);      // what HF uses for a 32k-token forward pass
 * }</pre>
 *
 * @param headDim size of one attention head ({@code head_dim}; for DeepSeek MLA the {@code qk_rope_head_dim} part)
 * @param rotaryDim the rotated prefix, even, {@code 2 <= rotaryDim <= headDim}: HF's {@code int(head_dim *
 *     partial_rotary_factor)}; for {@link RopeType#PROPORTIONAL} the whole head
 * @param layout how the rotated prefix is paired
 * @param ropeTheta the base θ, finite and {@code > 0}
 * @param maxPositionEmbeddings the model's {@code max_position_embeddings} ({@code > 0}); dynamic NTK scales
 *     relative to it, YaRN and LongRoPE derive their default factor from it
 * @param scaling the rope type and its parameters
 */
public record RopeSpec(int headDim, int rotaryDim, RopeLayout layout, double ropeTheta, int maxPositionEmbeddings,
                       RopeScaling scaling) {

    public RopeSpec {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(scaling, "scaling");
        if (headDim <= 0) {
            throw new IllegalArgumentException("head_dim must be > 0, got " + headDim);
        }
        if (rotaryDim < 2 || rotaryDim > headDim || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException(
                    "rotary_dim must be even and in [2, head_dim=" + headDim + "], got " + rotaryDim);
        }
        if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
            throw new IllegalArgumentException("rope_theta must be a finite number > 0, got " + ropeTheta);
        }
        if (maxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException("max_position_embeddings must be > 0, got " + maxPositionEmbeddings);
        }
        switch (scaling) {
            case RopeScaling.Dynamic d when rotaryDim <= 2 ->
                    throw new IllegalArgumentException("dynamic NTK needs rotary_dim > 2 (exponent d/(d-2))");
            case RopeScaling.Ntk n when rotaryDim <= 2 ->
                    throw new IllegalArgumentException("NTK scaling needs rotary_dim > 2 (exponent d/(d-2))");
            case RopeScaling.LongRope l when l.shortFactor().length != rotaryDim / 2 -> throw new IllegalArgumentException(
                    "longrope factors must have rotary_dim/2 = " + rotaryDim / 2 + " entries, got "
                            + l.shortFactor().length);
            case RopeScaling.Proportional p when rotaryDim != headDim -> throw new IllegalArgumentException(
                    "proportional RoPE spans the whole head: rotary_dim must equal head_dim " + headDim + ", got "
                            + rotaryDim);
            default -> { }
        }
    }

    /** The rope type, {@code scaling().type()}. */
    public RopeType ropeType() {
        return scaling.type();
    }

    /** The pre-training context length of the scaling (yarn, longrope, llama3), if it has one. */
    public OptionalInt originalMaxPositionEmbeddings() {
        return switch (scaling) {
            case RopeScaling.Yarn y -> OptionalInt.of(y.originalMaxPositionEmbeddings());
            case RopeScaling.LongRope l -> OptionalInt.of(l.originalMaxPositionEmbeddings());
            case RopeScaling.Llama3 l -> OptionalInt.of(l.originalMaxPositionEmbeddings());
            default -> OptionalInt.empty();
        };
    }

    /** The frequencies Hugging Face computes when the model is built (its {@code inv_freq} buffer at init). */
    public RotaryFrequencies frequencies() {
        return frequencies(0);
    }

    /**
     * The frequencies Hugging Face uses for a forward pass over {@code seqLen} positions ({@code max(position_ids) + 1})
     * on a freshly built model: dynamic NTK grows above {@code max_position_embeddings}, LongRoPE switches to its
     * long factors above {@code original_max_position_embeddings}; every other type ignores {@code seqLen}.
     *
     * @param seqLen {@code >= 0}; 0 means "at initialisation" (HF's {@code seq_len=None})
     */
    public RotaryFrequencies frequencies(long seqLen) {
        if (seqLen < 0) {
            throw new IllegalArgumentException("seq_len must be >= 0, got " + seqLen);
        }
        float[] inv = switch (scaling) {
            case RopeScaling.Default d -> d.invFreq(this);
            case RopeScaling.Linear l -> l.invFreq(this);
            case RopeScaling.Dynamic d -> d.invFreq(this, seqLen);
            case RopeScaling.Ntk n -> n.invFreq(this);
            case RopeScaling.Yarn y -> y.invFreq(this);
            case RopeScaling.LongRope l -> l.invFreq(this, seqLen);
            case RopeScaling.Llama3 l -> l.invFreq(this);
            case RopeScaling.Proportional p -> p.invFreq(this);
        };
        return new RotaryFrequencies(headDim, rotaryDim, layout, inv, attentionScaling());
    }

    /**
     * The factor HF multiplies cos and sin by ({@code attention_scaling}); attention logits scale by its square.
     * 1 except for YaRN and LongRoPE.
     */
    public double attentionScaling() {
        return switch (scaling) {
            case RopeScaling.Yarn y -> y.attentionScaling();
            case RopeScaling.LongRope l -> l.attentionScaling();
            default -> 1.0;
        };
    }

    /**
     * One row per rotated pair for a forward pass over {@code seqLen} positions (0: at initialisation): its
     * frequency, wavelength and what the rope type did to it relative to the original context. Kept/interpolated/
     * blended follow each type's own definition: YaRN's ramp, Llama 3's wavelength bands, LongRoPE's per-pair
     * factor (1 = kept), NTK's base change (pair 0 kept, the others blended), linear and proportional scaling
     * (interpolated unless the factor is 1).
     */
    public List<FrequencyPair> pairs(long seqLen) {
        RotaryFrequencies f = frequencies(seqLen);
        PairBand[] bands = switch (scaling) {
            case RopeScaling.Default d -> d.bands(this);
            case RopeScaling.Linear l -> l.bands(this);
            case RopeScaling.Dynamic d -> compareToUnscaled(f);
            case RopeScaling.Ntk n -> compareToUnscaled(f);
            case RopeScaling.Yarn y -> y.bands(this);
            case RopeScaling.LongRope l -> l.bands(seqLen);
            case RopeScaling.Llama3 l -> l.bands(this);
            case RopeScaling.Proportional p -> p.bands(this);
        };
        List<FrequencyPair> pairs = new ArrayList<>(bands.length);
        for (int i = 0; i < bands.length; i++) {
            float inv = f.invFreq(i);
            pairs.add(new FrequencyPair(i, inv, 2 * Math.PI / inv, bands[i]));
        }
        return List.copyOf(pairs);
    }

    private PairBand[] compareToUnscaled(RotaryFrequencies f) {
        float[] unscaled = unscaledInvFreq();
        PairBand[] bands = new PairBand[unscaled.length];
        for (int i = 0; i < bands.length; i++) {
            bands[i] = unscaled[i] == f.invFreq(i) ? PairBand.KEPT : PairBand.BLENDED;
        }
        return bands;
    }

    /** The exponents {@code 2i/rotaryDim} in float32. */
    float[] exponents() {
        return TorchFloat32.exponents(rotaryDim / 2, rotaryDim);
    }

    /** The default frequencies {@code 1/θ^(2i/rotaryDim)} in float32, before any scaling. */
    float[] unscaledInvFreq() {
        return TorchFloat32.inverseFrequencies(ropeTheta, exponents());
    }
}
