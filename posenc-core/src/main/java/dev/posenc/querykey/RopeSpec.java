package dev.posenc.querykey;

import java.util.ArrayList;
import java.util.Objects;
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

    /** The largest {@code head_dim} accepted: far above any published model (512), small enough to tabulate. */
    public static final int MAX_HEAD_DIM = 1 << 16;

    /**
     * The longest forward pass {@link #frequencies(long)} accepts, {@code 2^31} positions (position ids
     * {@code 0 … 2^31 − 1}, the range {@link RopePositions} addresses). Every derived value is checked finite for
     * every length up to it when the spec is built.
     */
    public static final long MAX_SEQ_LEN = 1L << 31;

    public RopeSpec {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(scaling, "scaling");
        if (headDim <= 0 || headDim > MAX_HEAD_DIM) {
            throw new RopeParameterException("head_dim", "an integer in [1, " + MAX_HEAD_DIM + "]",
                    String.valueOf(headDim));
        }
        if (rotaryDim < 2 || rotaryDim > headDim || rotaryDim % 2 != 0) {
            throw new RopeParameterException("rotary_dim", "an even integer in [2, head_dim=" + headDim + "]",
                    String.valueOf(rotaryDim));
        }
        RopeParameterException.requireFloat32Positive("rope_theta", ropeTheta);
        if (maxPositionEmbeddings <= 0) {
            throw new RopeParameterException("max_position_embeddings", "a positive integer",
                    String.valueOf(maxPositionEmbeddings));
        }
        switch (scaling) {
            case RopeScaling.Dynamic d when rotaryDim <= 2 -> throw new RopeParameterException("rotary_dim",
                    "more than 2 (dynamic NTK raises to the power d/(d-2))", String.valueOf(rotaryDim));
            case RopeScaling.Ntk n when rotaryDim <= 2 -> throw new RopeParameterException("rotary_dim",
                    "more than 2 (NTK scaling raises to the power d/(d-2))", String.valueOf(rotaryDim));
            case RopeScaling.Yarn y when ropeTheta == 1 -> throw new RopeParameterException("rope_theta",
                    "a number > 0 other than 1 (YaRN divides by ln θ)", "1");
            case RopeScaling.LongRope l when l.shortFactor().length != rotaryDim / 2 -> throw new RopeParameterException(
                    "short_factor", "a list of rotary_dim/2 = " + rotaryDim / 2 + " numbers",
                    "a list of " + l.shortFactor().length);
            case RopeScaling.Proportional p when rotaryDim != headDim -> throw new RopeParameterException(
                    "rotary_dim", "head_dim " + headDim + " (proportional RoPE spans the whole head)",
                    String.valueOf(rotaryDim));
            default -> { }
        }
        checkDerivedValues(headDim, rotaryDim, ropeTheta, maxPositionEmbeddings, scaling);
    }

    /**
     * Every value the spec derives is a finite float32 for every sequence length it accepts: the unscaled
     * frequencies (else {@code rope_theta} is to blame), the scaled ones at initialisation and at the lengths where
     * a length-dependent type changes (dynamic NTK is monotone in the length, so its two ends suffice; LongRoPE
     * switches once above L0), and the attention scaling. A failure names the parameter to change.
     */
    private static void checkDerivedValues(int headDim, int rotaryDim, double ropeTheta, int maxPositionEmbeddings,
                                           RopeScaling scaling) {
        RopeGeometry geometry = new RopeGeometry(headDim, rotaryDim, ropeTheta, maxPositionEmbeddings);
        float[] unscaled = geometry.unscaledInvFreq();
        for (int i = 0; i < unscaled.length; i++) {
            if (!Float.isFinite(unscaled[i])) {
                throw new RopeParameterException("rope_theta", "a value giving finite frequencies (inv_freq[" + i
                        + "] = 1 / θ^(2i/d) would be " + unscaled[i] + " in float32)",
                        RopeParameterException.format(ropeTheta));
            }
        }
        String culprit = switch (scaling) {
            case RopeScaling.LongRope l -> "long_factor";
            case RopeScaling.Llama3 l -> "high_freq_factor";
            default -> "factor";
        };
        long[] lengths = switch (scaling) {
            case RopeScaling.Dynamic d -> new long[] {0, maxPositionEmbeddings + 1L, MAX_SEQ_LEN};
            case RopeScaling.LongRope l -> new long[] {0, l.originalMaxPositionEmbeddings() + 1L};
            default -> new long[] {0};
        };
        for (long seqLen : lengths) {
            float[] inv = invFreq(geometry, scaling, seqLen);
            for (int i = 0; i < inv.length; i++) {
                if (!Float.isFinite(inv[i])) {
                    throw new RopeParameterException(culprit, "a value giving finite frequencies (inv_freq[" + i
                            + "] would be " + inv[i] + (seqLen == 0 ? " at initialisation" : " for a "
                            + seqLen + "-token pass") + ")", describe(scaling));
                }
            }
        }
        RopeParameterException.requireAttentionScaling(scaling instanceof RopeScaling.LongRope ? "factor" : "attention_factor",
                attentionScaling(scaling), describe(scaling));
    }

    private static String describe(RopeScaling scaling) {
        return switch (scaling) {
            case RopeScaling.Linear l -> RopeParameterException.format(l.factor());
            case RopeScaling.Dynamic d -> RopeParameterException.format(d.factor());
            case RopeScaling.Ntk n -> RopeParameterException.format(n.factor());
            case RopeScaling.Yarn y -> RopeParameterException.format(y.factor());
            case RopeScaling.Llama3 l -> RopeParameterException.format(l.highFreqFactor()) + " with low_freq_factor "
                    + RopeParameterException.format(l.lowFreqFactor());
            case RopeScaling.Proportional p -> RopeParameterException.format(p.factor());
            case RopeScaling.LongRope l -> "the long or short factors";
            case RopeScaling.Default d -> "default";
        };
    }

    /** The numbers the scaling formulas read. */
    RopeGeometry geometry() {
        return new RopeGeometry(headDim, rotaryDim, ropeTheta, maxPositionEmbeddings);
    }

    private static float[] invFreq(RopeGeometry g, RopeScaling scaling, long seqLen) {
        return switch (scaling) {
            case RopeScaling.Default d -> d.invFreq(g);
            case RopeScaling.Linear l -> l.invFreq(g);
            case RopeScaling.Dynamic d -> d.invFreq(g, seqLen);
            case RopeScaling.Ntk n -> n.invFreq(g);
            case RopeScaling.Yarn y -> y.invFreq(g);
            case RopeScaling.LongRope l -> l.invFreq(g, seqLen);
            case RopeScaling.Llama3 l -> l.invFreq(g);
            case RopeScaling.Proportional p -> p.invFreq(g);
        };
    }

    private static double attentionScaling(RopeScaling scaling) {
        return switch (scaling) {
            case RopeScaling.Yarn y -> y.attentionScaling();
            case RopeScaling.LongRope l -> l.attentionScaling();
            default -> 1.0;
        };
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
     * @param seqLen in {@code [0, MAX_SEQ_LEN]}; 0 means "at initialisation" (HF's {@code seq_len=None})
     */
    public RotaryFrequencies frequencies(long seqLen) {
        if (seqLen < 0 || seqLen > MAX_SEQ_LEN) {
            throw new IllegalArgumentException("seq_len must be in [0, 2^31], got " + seqLen);
        }
        float[] inv = invFreq(geometry(), scaling, seqLen);
        return new RotaryFrequencies(headDim, rotaryDim, layout, inv, attentionScaling());
    }

    /**
     * The factor HF multiplies cos and sin by ({@code attention_scaling}); attention logits scale by its square.
     * 1 except for YaRN and LongRoPE.
     */
    public double attentionScaling() {
        return attentionScaling(scaling);
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
            case RopeScaling.Default d -> d.bands(geometry());
            case RopeScaling.Linear l -> l.bands(geometry());
            case RopeScaling.Dynamic d -> compareToUnscaled(f);
            case RopeScaling.Ntk n -> compareToUnscaled(f);
            case RopeScaling.Yarn y -> y.bands(geometry());
            case RopeScaling.LongRope l -> l.bands(seqLen);
            case RopeScaling.Llama3 l -> l.bands(geometry());
            case RopeScaling.Proportional p -> p.bands(geometry());
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
        return geometry().exponents();
    }

    /** The default frequencies {@code 1/θ^(2i/rotaryDim)} in float32, before any scaling. */
    float[] unscaledInvFreq() {
        return geometry().unscaledInvFreq();
    }
}
