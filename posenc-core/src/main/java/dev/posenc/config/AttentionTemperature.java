package dev.posenc.config;

/**
 * Llama 4's attention temperature tuning on its NoPE layers (HF {@code Llama4TextAttention.forward}, after
 * "Scalable-Softmax Is Superior for Attention", Nakanishi 2025, arXiv 2501.19399): the query of the token at
 * {@code position} is multiplied by {@code log1p(floor((position + 1) / floor_scale)) * attn_scale + 1} before the
 * logits.
 *
 * @param floorScale {@code floor_scale} (Llama4TextConfig default 8192), finite and {@code > 0}
 * @param attnScale {@code attn_scale} (default 0.1), finite
 */
public record AttentionTemperature(double floorScale, double attnScale) {
    public AttentionTemperature {
        if (!(floorScale > 0) || !Double.isFinite(floorScale) || !Double.isFinite(attnScale)) {
            throw new IllegalArgumentException("floor_scale must be finite and > 0 and attn_scale finite, got "
                    + floorScale + " and " + attnScale);
        }
    }

    /** The factor on the query at {@code position} ({@code >= 0}). */
    public double queryScale(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
        return Math.log1p(Math.floor((position + 1.0) / floorScale)) * attnScale + 1.0;
    }
}
