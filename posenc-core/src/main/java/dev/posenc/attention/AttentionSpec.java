package dev.posenc.attention;

/**
 * The geometry of an attention: heads, key/value heads, head size, causal or bidirectional, and the softmax scale
 * applied to {@code q·k} (and to content-dependent relative terms) before position biases are added.
 *
 * @param numHeads query heads ({@code num_attention_heads})
 * @param numKeyValueHeads key/value heads ({@code num_key_value_heads}): equal for multi-head, 1 for multi-query,
 *     a divisor of {@code numHeads} for grouped-query attention
 * @param headDim size of one head
 * @param causal whether query {@code i} sees only keys at positions {@code <= i}
 * @param softmaxScale the factor on the logits; {@code 1/√headDim} usually, 1 for T5, {@code 1/√(3d)} for DeBERTa
 */
public record AttentionSpec(int numHeads, int numKeyValueHeads, int headDim, boolean causal, double softmaxScale) {
    public AttentionSpec {
        if (numHeads < 1 || numKeyValueHeads < 1 || headDim < 1) {
            throw new IllegalArgumentException("heads, key/value heads and head_dim must be >= 1, got " + numHeads + ", "
                    + numKeyValueHeads + ", " + headDim);
        }
        if (numHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_key_value_heads (" + numKeyValueHeads
                    + ") must divide num_attention_heads (" + numHeads + ")");
        }
        if (!(softmaxScale > 0) || Double.isInfinite(softmaxScale)) {
            throw new IllegalArgumentException("the softmax scale must be finite and > 0, got " + softmaxScale);
        }
    }

    /** An attention with the usual scale {@code 1/√headDim}. */
    public static AttentionSpec of(int numHeads, int numKeyValueHeads, int headDim, boolean causal) {
        return new AttentionSpec(numHeads, numKeyValueHeads, headDim, causal, 1.0 / Math.sqrt(headDim));
    }

    /** Query heads per key/value head. */
    public int groupSize() {
        return numHeads / numKeyValueHeads;
    }

    /** The key/value head that query head {@code head} reads. */
    public int keyValueHead(int head) {
        return head / groupSize();
    }
}
