package dev.posenc.logits;

import java.util.Objects;

/**
 * T5's learned relative bias (Raffel et al. 2020, §2.1; HF {@code T5Attention.compute_bias}): one scalar per bucket
 * and head, {@code b_h(i, j) = relative_attention_bias[bucket(j − i)][h]}. T5 adds it to unscaled logits (its
 * attention has no {@code 1/√d}); here it is added after whatever scale the attention uses, so use a softmax
 * scale of 1 to reproduce T5.
 *
 * @param buckets the bucket function
 * @param numHeads the number of heads
 * @param weights HF's {@code relative_attention_bias.weight}: {@code numBuckets × numHeads}, row-major (copied)
 */
public record T5RelativeBias(T5Buckets buckets, int numHeads, float[] weights) implements PositionBias {
    public T5RelativeBias {
        Objects.requireNonNull(buckets, "buckets");
        Objects.requireNonNull(weights, "weights");
        if (numHeads < 1) {
            throw new IllegalArgumentException("the number of heads must be >= 1, got " + numHeads);
        }
        if (weights.length != (long) buckets.numBuckets() * numHeads) {
            throw new IllegalArgumentException("relative_attention_bias must have num_buckets x num_heads = "
                    + (long) buckets.numBuckets() * numHeads + " values, got " + weights.length);
        }
        weights = weights.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public double bias(int head, int queryPosition, int keyPosition) {
        return weights[buckets.bucket(queryPosition, keyPosition) * numHeads + head];
    }

    @Override
    public boolean relativeOnly() {
        return true;
    }

    @Override
    public void checkAttention(boolean causal) {
        if (!causal && !buckets.bidirectional()) {
            throw new IllegalArgumentException("T5's causal buckets put every key after the query in bucket 0; use "
                    + "bidirectional buckets in a bidirectional attention");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof T5RelativeBias that && buckets.equals(that.buckets) && numHeads == that.numHeads
                && java.util.Arrays.equals(weights, that.weights);
    }

    @Override
    public int hashCode() {
        return (31 * buckets.hashCode() + numHeads) * 31 + java.util.Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "T5RelativeBias[buckets=" + buckets + ", numHeads=" + numHeads + "]";
    }
}
