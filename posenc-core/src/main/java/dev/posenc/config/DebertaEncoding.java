package dev.posenc.config;

import java.util.List;
import java.util.Objects;

/**
 * DeBERTa's disentangled relative attention (He et al. 2020; HF {@code DisentangledSelfAttention}, deberta-v2).
 *
 * @param positionBuckets {@code position_buckets}: {@code > 0} for log buckets, {@code <= 0} for none
 * @param maxRelativePositions the effective {@code max_relative_positions} (HF replaces values {@code < 1} by
 *     {@code max_position_embeddings}), {@code > 0}
 * @param posAttType the disentangled terms, each {@code c2p} or {@code p2c} (HF splits a string on {@code |})
 * @param maxPositionEmbeddings {@code max_position_embeddings}, {@code > 0}
 * @param positionBiasedInput {@code position_biased_input}: whether absolute position embeddings are also added
 */
public record DebertaEncoding(int positionBuckets, int maxRelativePositions, List<String> posAttType,
                              int maxPositionEmbeddings, boolean positionBiasedInput) implements ModelEncoding {
    public DebertaEncoding {
        if (maxRelativePositions <= 0 || maxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException("max_relative_positions and max_position_embeddings must be > 0, got "
                    + maxRelativePositions + " and " + maxPositionEmbeddings);
        }
        posAttType = List.copyOf(Objects.requireNonNull(posAttType, "posAttType"));
        for (String t : posAttType) {
            if (!t.equals("c2p") && !t.equals("p2c")) {
                throw new IllegalArgumentException("pos_att_type entries must be c2p or p2c, got " + t);
            }
        }
    }

    @Override
    public String kind() {
        return "deberta_relative";
    }
}
