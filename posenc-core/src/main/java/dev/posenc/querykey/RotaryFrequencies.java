package dev.posenc.querykey;

import java.util.Arrays;
import java.util.Objects;

/**
 * The frequencies one rotary layer rotates by: Hugging Face's {@code (inv_freq, attention_scaling)} pair together
 * with the geometry it applies to.
 *
 * <p>Pair {@code i} (of {@code rotaryDim / 2}) at position {@code m} is rotated by the angle {@code m * invFreq[i]};
 * the rotated pair is then multiplied by {@code attentionScaling} (HF multiplies cos and sin by it, so attention
 * logits scale by its square). Dimensions {@code [rotaryDim, headDim)} pass through unchanged. {@link RopeLayout}
 * says which two columns form pair {@code i} inside the rotated prefix.
 *
 * <p>{@code invFreq} holds single-precision values because that is what Hugging Face computes and what models
 * were trained with; angles are computed from them in double precision.
 *
 * @param headDim size of one attention head
 * @param rotaryDim the rotated prefix of the head, even, {@code 0 < rotaryDim <= headDim}
 * @param layout how the rotated prefix is paired
 * @param invFreq {@code rotaryDim / 2} finite, non-negative inverse frequencies (radians per position); zero means
 *     the pair is not rotated (proportional RoPE pads with zeros)
 * @param attentionScaling the factor on cos and sin; finite and positive
 */
public record RotaryFrequencies(int headDim, int rotaryDim, RopeLayout layout, float[] invFreq,
                                double attentionScaling) {

    public RotaryFrequencies {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(invFreq, "invFreq");
        if (headDim <= 0) {
            throw new IllegalArgumentException("head_dim must be positive, got " + headDim);
        }
        if (rotaryDim <= 0 || rotaryDim > headDim || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException(
                    "rotary_dim must be even and in (0, head_dim=" + headDim + "], got " + rotaryDim);
        }
        if (invFreq.length != rotaryDim / 2) {
            throw new IllegalArgumentException("inv_freq must have rotary_dim/2 = " + rotaryDim / 2
                    + " entries, got " + invFreq.length);
        }
        invFreq = invFreq.clone();
        for (int i = 0; i < invFreq.length; i++) {
            if (!(invFreq[i] >= 0f) || Float.isInfinite(invFreq[i])) {
                throw new IllegalArgumentException("inv_freq[" + i + "] must be finite and >= 0, got " + invFreq[i]);
            }
        }
        if (!(attentionScaling > 0) || Double.isInfinite(attentionScaling)) {
            throw new IllegalArgumentException("attention_scaling must be finite and > 0, got " + attentionScaling);
        }
    }

    /** A copy of the inverse frequencies, {@code rotaryDim / 2} entries. */
    @Override
    public float[] invFreq() {
        return invFreq.clone();
    }

    /** Inverse frequency of pair {@code i}, without copying. */
    public float invFreq(int i) {
        return invFreq[i];
    }

    /** Number of rotated pairs, {@code rotaryDim / 2}. */
    public int pairs() {
        return rotaryDim / 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RotaryFrequencies that
                && headDim == that.headDim
                && rotaryDim == that.rotaryDim
                && layout == that.layout
                && Arrays.equals(invFreq, that.invFreq)
                && Double.compare(attentionScaling, that.attentionScaling) == 0;
    }

    @Override
    public int hashCode() {
        return ((31 * (31 * (31 * headDim + rotaryDim) + layout.hashCode()) + Arrays.hashCode(invFreq)) * 31)
                + Double.hashCode(attentionScaling);
    }

    @Override
    public String toString() {
        return "RotaryFrequencies[headDim=" + headDim + ", rotaryDim=" + rotaryDim + ", layout=" + layout
                + ", invFreq=" + Arrays.toString(invFreq) + ", attentionScaling=" + attentionScaling + "]";
    }
}
