package dev.posenc.logits;

import java.util.Objects;

/**
 * Shaw et al. 2018 ("Self-Attention with Relative Position Representations", arXiv:1803.02155, eq. 4-5) on the keys:
 * <pre>
 * e_ij = q_i · (k_j + a^K_ij) / √d,   a^K_ij = w^K[clip(j − i, −k, k) + k]
 * </pre>
 * {@code w^K} has {@code 2k + 1} rows shared by all heads (as in the paper and tensor2tensor's
 * {@code _generate_relative_positions_matrix}). Distances beyond {@code k} share the edge vectors.
 *
 * @param maxRelativePosition the clipping distance {@code k >= 0}
 * @param headDim {@code d}
 * @param keyTable {@code w^K}: {@code (2k + 1) × headDim} (copied)
 */
public record ShawRelativeKeys(int maxRelativePosition, int headDim, float[] keyTable) implements RelativeLogitTerm {
    public ShawRelativeKeys {
        Objects.requireNonNull(keyTable, "keyTable");
        ShawDistance.checkTable("w^K", maxRelativePosition, headDim, keyTable);
        keyTable = keyTable.clone();
    }

    @Override
    public float[] keyTable() {
        return keyTable.clone();
    }

    @Override
    public void checkAttention(int numHeads, int headDim, boolean causal) {
        ShawDistance.checkHeadDim(this.headDim, headDim);
    }

    /** Reference: {@code q_i · w^K[clip(j − i) + k]} for every pair, directly. */
    @Override
    public void addToScores(int head, float[] queries, float[] keys, AttentionPositions positions, double[] scores) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(scores, "scores");
        int klen = positions.keyLength();
        for (int i = 0; i < positions.queryLength(); i++) {
            int pos = positions.queryPosition(i);
            for (int j = 0; j < klen; j++) {
                int r = ShawDistance.index(pos, j, maxRelativePosition);
                scores[i * klen + j] += Dot.of(queries, i * headDim, keyTable, r * headDim, headDim);
            }
        }
    }

    /** Streaming: each query's {@code 2k + 1} products with {@code w^K}, then a gather per pair. */
    @Override
    public PreparedTerm prepare(int head, float[] queries, float[] keys, AttentionPositions positions) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(positions, "positions");
        int width = 2 * maxRelativePosition + 1;
        float[] relative = new float[positions.queryLength() * width];
        for (int i = 0; i < positions.queryLength(); i++) {
            for (int r = 0; r < width; r++) {
                relative[i * width + r] = Dot.ofFloat(queries, i * headDim, keyTable, r * headDim, headDim);
            }
        }
        return (q0, q1, k0, k1, tile, stride) -> {
            Objects.requireNonNull(tile, "tile");
            for (int i = q0; i < q1; i++) {
                int pos = positions.queryPosition(i);
                for (int j = k0; j < k1; j++) {
                    tile[(i - q0) * stride + (j - k0)] += relative[i * width + ShawDistance.index(pos, j, maxRelativePosition)];
                }
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShawRelativeKeys that && maxRelativePosition == that.maxRelativePosition
                && headDim == that.headDim && java.util.Arrays.equals(keyTable, that.keyTable);
    }

    @Override
    public int hashCode() {
        return (31 * maxRelativePosition + headDim) * 31 + java.util.Arrays.hashCode(keyTable);
    }

    @Override
    public String toString() {
        return "ShawRelativeKeys[k=" + maxRelativePosition + ", headDim=" + headDim + "]";
    }
}
