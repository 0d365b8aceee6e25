package dev.posenc.config;

import dev.posenc.logits.AlibiSlopes;

/**
 * ALiBi (Press et al. 2021): a per-head linear distance penalty on attention logits, slopes {@code 2^(−8h/n)}
 * generalised to {@code 2^(−alibiBiasMax·h/n)} (MPT's {@code alibi_bias_max}).
 *
 * @param numHeads the number of attention heads (one slope each), {@code 1 <=} {@link AlibiSlopes#MAX_HEADS}
 * @param alibiBiasMax the exponent scale of the slopes: 8 for BLOOM and Falcon, {@code attn_config.alibi_bias_max} for MPT
 */
public record AlibiEncoding(int numHeads, double alibiBiasMax) implements ModelEncoding {
    public AlibiEncoding {
        if (numHeads <= 0 || numHeads > AlibiSlopes.MAX_HEADS) {
            throw new IllegalArgumentException("num_heads must be between 1 and " + AlibiSlopes.MAX_HEADS + ", got "
                    + numHeads);
        }
        if (!(alibiBiasMax > 0) || Double.isInfinite(alibiBiasMax)) {
            throw new IllegalArgumentException("alibi_bias_max must be a finite number > 0, got " + alibiBiasMax);
        }
    }

    @Override
    public String kind() {
        return "alibi";
    }
}
