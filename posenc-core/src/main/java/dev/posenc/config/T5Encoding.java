package dev.posenc.config;

/**
 * T5's learned relative position bias (Raffel et al. 2020): one scalar per head and log-spaced distance bucket,
 * added to the attention logits (HF {@code T5Attention._relative_position_bucket}).
 *
 * @param relativeAttentionNumBuckets {@code relative_attention_num_buckets}, {@code > 0}
 * @param relativeAttentionMaxDistance {@code relative_attention_max_distance} (128 when absent), {@code > 0}
 * @param numHeads {@code num_heads}, {@code > 0}
 */
public record T5Encoding(int relativeAttentionNumBuckets, int relativeAttentionMaxDistance, int numHeads)
        implements ModelEncoding {
    public T5Encoding {
        if (relativeAttentionNumBuckets <= 0 || relativeAttentionMaxDistance <= 0 || numHeads <= 0) {
            throw new IllegalArgumentException("buckets, max distance and heads must be > 0, got "
                    + relativeAttentionNumBuckets + ", " + relativeAttentionMaxDistance + ", " + numHeads);
        }
    }

    @Override
    public String kind() {
        return "t5_relative_bias";
    }
}
