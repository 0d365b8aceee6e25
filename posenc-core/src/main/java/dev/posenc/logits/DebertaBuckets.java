package dev.posenc.logits;

/**
 * DeBERTa-v2/v3's relative positions (He et al. 2021, arXiv:2006.03654, §3.1; v2 log buckets), exactly as Hugging
 * Face computes them in {@code transformers/models/deberta_v2/modeling_deberta_v2.py}: {@code build_relative_position}
 * and {@code make_log_bucket_position}.
 *
 * <p>The relative position is {@code query − key} (HF's {@code q_ids[:, None] − k_ids[None, :]}); this is the
 * opposite sign of T5's. With {@code mid = positionBuckets/2} and {@code mp = maxRelativePositions}:
 * <pre>
 * bucket(rel) = rel                                                         if |rel| &lt;= mid
 *             = sign(rel) · (⌈ln(|rel|/mid) / ln((mp−1)/mid) · (mid−1)⌉ + mid)   otherwise
 * </pre>
 * evaluated in single precision in HF's operation order. Without buckets ({@code position_buckets <= 0}) the
 * relative position is used as is. The bucket is odd: {@code bucket(−rel) = −bucket(rel)}.
 *
 * @param positionBuckets {@code position_buckets}; {@code <= 0} means no log buckets (DeBERTa v1 style)
 * @param maxRelativePositions {@code max_relative_positions} after HF's defaulting (a value {@code < 1} in the config
 *     means {@code max_position_embeddings}); when bucketing, must exceed {@code positionBuckets/2 + 1}
 */
public record DebertaBuckets(int positionBuckets, int maxRelativePositions) {
    public DebertaBuckets {
        if (maxRelativePositions < 1) {
            throw new IllegalArgumentException("max_relative_positions must be >= 1 (HF replaces a value < 1 by "
                    + "max_position_embeddings), got " + maxRelativePositions);
        }
        if (positionBuckets > 0) {
            if (positionBuckets < 2) {
                throw new IllegalArgumentException("position_buckets must be >= 2, got " + positionBuckets);
            }
            int mid = positionBuckets / 2;
            if (maxRelativePositions - 1 <= mid) {
                throw new IllegalArgumentException("max_relative_positions must be greater than position_buckets/2 + 1 = "
                        + (mid + 1) + " (the log buckets divide by ln((max_relative_positions − 1)/(position_buckets/2))), got "
                        + maxRelativePositions);
            }
        }
    }

    /** True when relative positions go through {@code make_log_bucket_position}. */
    public boolean bucketed() {
        return positionBuckets > 0;
    }

    /**
     * HF's {@code att_span} ({@code pos_ebd_size}): the relative embedding table has {@code 2 · attSpan} rows and
     * bucketed positions index it after adding {@code attSpan} and clamping to {@code [0, 2·attSpan)}.
     */
    public int attentionSpan() {
        return bucketed() ? positionBuckets : maxRelativePositions;
    }

    /** The (bucketed) relative position of {@code relativePosition = query − key}. */
    public int bucket(int relativePosition) {
        if (!bucketed()) {
            return relativePosition;
        }
        int mid = positionBuckets / 2;
        long rel = relativePosition;
        if (Math.abs(rel) <= mid) {
            return relativePosition;
        }
        float ratio = (float) Math.abs(rel) / (float) mid;
        float logRatio = (float) Math.log(ratio);
        float logRange = (float) Math.log((float) ((double) (maxRelativePositions - 1) / mid));
        float logPos = (float) Math.ceil(logRatio / logRange * (float) (mid - 1)) + mid;
        return (int) (Math.signum((double) rel) * logPos);
    }

    /** The bucketed relative position of key {@code keyPosition} seen from query {@code queryPosition}. */
    public int bucket(int queryPosition, int keyPosition) {
        return bucket(queryPosition - keyPosition);
    }

    /**
     * The row of the relative embedding table that query {@code queryPosition} uses for key {@code keyPosition}:
     * HF's {@code clamp(relative_pos + att_span, 0, 2·att_span − 1)} (the {@code c2p_pos} index).
     */
    public int embeddingIndex(int queryPosition, int keyPosition) {
        int span = attentionSpan();
        return Math.clamp((long) bucket(queryPosition, keyPosition) + span, 0, 2 * span - 1);
    }
}
