package dev.posenc.logits;

/**
 * T5's mapping from a relative position to one of {@code numBuckets} buckets (Raffel et al. 2020, arXiv:1910.10683,
 * §2.1), exactly as Hugging Face computes it in {@code T5Attention._relative_position_bucket}
 * ({@code transformers/models/t5/modeling_t5.py}).
 *
 * <p>The relative position is {@code key − query} ("memory_position − query_position" in HF). With
 * {@code n} the distance that is bucketed and {@code e = nb/2} the number of exact buckets:
 * <pre>
 * bidirectional: nb ← numBuckets/2; offset = (rp &gt; 0) · nb; n = |rp|
 * causal:        nb ← numBuckets;   offset = 0;             n = max(−rp, 0)
 * bucket = offset + (n &lt; e ? n : min(nb − 1, e + ⌊ln(n/e) / ln(maxDistance/e) · (nb − e)⌋))
 * </pre>
 * The logarithmic branch is evaluated in single precision with HF's operation order (float32 {@code n/e}, float32
 * log, division by {@code ln(maxDistance/e)} rounded to float32, multiplication, truncation), so that buckets agree
 * with HF bit for bit, including at the boundaries between buckets.
 *
 * @param numBuckets {@code relative_attention_num_buckets}; at least 4 when bidirectional, 2 when causal
 * @param maxDistance {@code relative_attention_max_distance}; must exceed the number of exact buckets
 * @param bidirectional true for T5's encoder (and cross-free bidirectional attention), false for its decoder
 */
public record T5Buckets(int numBuckets, int maxDistance, boolean bidirectional) {
    /** Hugging Face's {@code T5Config} default of {@code relative_attention_max_distance}. */
    public static final int DEFAULT_MAX_DISTANCE = 128;

    public T5Buckets {
        int minBuckets = bidirectional ? 4 : 2;
        if (numBuckets < minBuckets) {
            throw new IllegalArgumentException("num_buckets must be >= " + minBuckets + " for "
                    + (bidirectional ? "bidirectional" : "causal") + " T5 buckets, got " + numBuckets);
        }
        int maxExact = maxExact(numBuckets, bidirectional);
        if (maxDistance <= maxExact) {
            throw new IllegalArgumentException("max_distance must be greater than the " + maxExact
                    + " exact buckets (num_buckets=" + numBuckets + "), got " + maxDistance);
        }
    }

    private static int maxExact(int numBuckets, boolean bidirectional) {
        return (bidirectional ? numBuckets / 2 : numBuckets) / 2;
    }

    /** The bucket of {@code relativePosition = keyPosition − queryPosition}, in {@code [0, numBuckets)}. */
    public int bucket(int relativePosition) {
        int nb = numBuckets;
        int offset = 0;
        long n;
        if (bidirectional) {
            nb /= 2;
            offset = relativePosition > 0 ? nb : 0;
            n = Math.abs((long) relativePosition);
        } else {
            n = Math.max(-(long) relativePosition, 0L);
        }
        int maxExact = nb / 2;
        if (n < maxExact) {
            return offset + (int) n;
        }
        float ratio = (float) n / (float) maxExact;
        float logRatio = (float) Math.log(ratio);
        float logRange = (float) Math.log((double) maxDistance / maxExact);
        float scaled = logRatio / logRange * (float) (nb - maxExact);
        long large = maxExact + (long) scaled;
        return offset + (int) Math.min(large, nb - 1);
    }

    /** The bucket of key {@code keyPosition} seen from query {@code queryPosition}. */
    public int bucket(int queryPosition, int keyPosition) {
        return bucket(keyPosition - queryPosition);
    }
}
