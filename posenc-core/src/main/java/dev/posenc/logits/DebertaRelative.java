package dev.posenc.logits;

import java.util.Arrays;
import java.util.Objects;

/**
 * DeBERTa's disentangled attention (He et al. 2021, arXiv:2006.03654, eq. 2-4), as Hugging Face's DeBERTa-v2
 * computes it ({@code models/deberta_v2/modeling_deberta_v2.py},
 * {@code DisentangledSelfAttention.disentangled_attention_bias}):
 * <pre>
 * a_ij = q_i·k_j + [c2p] q_i·K^r[δ(i, j)] + [p2c] k_j·Q^r[δ'(i, j)],   all divided by √(d · (1 + #types))
 * δ(i, j)  = clamp(bucket(i − j) + span, 0, 2·span − 1)          (c2p_pos, relative position query − key)
 * δ'(i, j) = clamp(−bucket(j − i) + span, 0, 2·span − 1)         (p2c_pos on the key-major matrix, transposed)
 * </pre>
 * {@code K^r} and {@code Q^r} are the relative embeddings projected by the key and query projections
 * ({@code pos_key_proj}/{@code pos_query_proj}, or {@code key_proj}/{@code query_proj} when
 * {@code share_att_key}). Because the bucket is odd, {@code δ' = δ}: HF's p2c uses the same index as c2p, not the
 * paper's {@code δ(j, i)}. Use {@link #softmaxScale} as the attention's scale.
 *
 * @param buckets relative positions and {@code att_span}
 * @param numHeads heads
 * @param headDim {@code d}
 * @param positionKeys {@code K^r} ({@code pos_key_layer}): {@code 2·span × (numHeads·headDim)}, or null without c2p
 * @param positionQueries {@code Q^r} ({@code pos_query_layer}): same shape, or null without p2c
 */
public record DebertaRelative(DebertaBuckets buckets, int numHeads, int headDim, float[] positionKeys,
                              float[] positionQueries) implements RelativeLogitTerm {
    public DebertaRelative {
        Objects.requireNonNull(buckets, "buckets");
        if (numHeads < 1 || headDim < 1) {
            throw new IllegalArgumentException("DeBERTa needs buckets, heads >= 1 and head_dim >= 1");
        }
        if (positionKeys == null && positionQueries == null) {
            throw new IllegalArgumentException("DeBERTa's pos_att_type must include c2p or p2c (position keys or queries)");
        }
        long size = 2L * buckets.attentionSpan() * numHeads * headDim;
        positionKeys = copy("pos_key_layer (c2p)", positionKeys, size);
        positionQueries = copy("pos_query_layer (p2c)", positionQueries, size);
    }

    private static float[] copy(String name, float[] values, long size) {
        if (values == null) {
            return null;
        }
        if (values.length != size) {
            throw new IllegalArgumentException(name + " must have 2 x att_span x heads x head_dim = " + size
                    + " values, got " + values.length);
        }
        return values.clone();
    }

    @Override
    public float[] positionKeys() {
        return positionKeys == null ? null : positionKeys.clone();
    }

    @Override
    public float[] positionQueries() {
        return positionQueries == null ? null : positionQueries.clone();
    }

    /** HF's {@code scale_factor}: 1 plus one per position attention type. */
    public int scaleFactor() {
        return 1 + (positionKeys != null ? 1 : 0) + (positionQueries != null ? 1 : 0);
    }

    /** The attention's softmax scale {@code 1/√(d · scaleFactor)}. */
    public double softmaxScale() {
        return 1.0 / Math.sqrt((double) headDim * scaleFactor());
    }

    @Override
    public void checkAttention(int numHeads, int headDim, boolean causal) {
        if (numHeads != this.numHeads || headDim != this.headDim) {
            throw new IllegalArgumentException("DeBERTa's position projections are for " + this.numHeads + " heads of "
                    + this.headDim + " but the attention has " + numHeads + " heads of " + headDim);
        }
    }

    private int row(int index, int head) {
        return (index * numHeads + head) * headDim;
    }

    /** Reference: HF's gathers from {@code Q·K^rᵀ} (query-major) and {@code K·Q^rᵀ} (key-major, then transposed). */
    @Override
    public void addToScores(int head, float[] queries, float[] keys, AttentionPositions positions, double[] scores) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(scores, "scores");
        int qlen = positions.queryLength();
        int klen = positions.keyLength();
        int span = buckets.attentionSpan();
        if (positionKeys != null) {
            double[] c2p = new double[qlen * 2 * span];
            for (int i = 0; i < qlen; i++) {
                for (int r = 0; r < 2 * span; r++) {
                    c2p[i * 2 * span + r] = Dot.of(queries, i * headDim, positionKeys, row(r, head), headDim);
                }
            }
            for (int i = 0; i < qlen; i++) {
                for (int j = 0; j < klen; j++) {
                    int rel = buckets.bucket(positions.queryPosition(i), j);
                    int index = Math.clamp((long) rel + span, 0, 2 * span - 1);
                    scores[i * klen + j] += c2p[i * 2 * span + index];
                }
            }
        }
        if (positionQueries != null) {
            double[] p2c = new double[klen * 2 * span];
            for (int j = 0; j < klen; j++) {
                for (int r = 0; r < 2 * span; r++) {
                    p2c[j * 2 * span + r] = Dot.of(keys, j * headDim, positionQueries, row(r, head), headDim);
                }
            }
            for (int j = 0; j < klen; j++) {
                for (int i = 0; i < qlen; i++) {
                    int keyVsQuery = buckets.bucket(j, positions.queryPosition(i));
                    int index = Math.clamp(-(long) keyVsQuery + span, 0, 2 * span - 1);
                    scores[i * klen + j] += p2c[j * 2 * span + index];
                }
            }
        }
    }

    /** Streaming: embedding indices tabulated per relative position; two O(d) products per pair. */
    @Override
    public PreparedTerm prepare(int head, float[] queries, float[] keys, AttentionPositions positions) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(positions, "positions");
        int minRelative = positions.minRelativePosition();
        int[] index = new int[positions.maxRelativePosition() - minRelative + 1];
        for (int t = 0; t < index.length; t++) {
            int keyMinusQuery = minRelative + t;
            index[t] = buckets.embeddingIndex(Math.max(0, -keyMinusQuery), Math.max(0, keyMinusQuery));
        }
        return (q0, q1, k0, k1, tile, stride) -> {
            Objects.requireNonNull(tile, "tile");
            for (int i = q0; i < q1; i++) {
                int pos = positions.queryPosition(i);
                for (int j = k0; j < k1; j++) {
                    int r = index[j - pos - minRelative];
                    float term = 0;
                    if (positionKeys != null) {
                        term += Dot.ofFloat(queries, i * headDim, positionKeys, row(r, head), headDim);
                    }
                    if (positionQueries != null) {
                        term += Dot.ofFloat(keys, j * headDim, positionQueries, row(r, head), headDim);
                    }
                    tile[(i - q0) * stride + (j - k0)] += term;
                }
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DebertaRelative that && buckets.equals(that.buckets) && numHeads == that.numHeads
                && headDim == that.headDim && Arrays.equals(positionKeys, that.positionKeys)
                && Arrays.equals(positionQueries, that.positionQueries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {buckets.hashCode(), numHeads, headDim, Arrays.hashCode(positionKeys),
            Arrays.hashCode(positionQueries)});
    }

    @Override
    public String toString() {
        return "DebertaRelative[buckets=" + buckets + ", numHeads=" + numHeads + ", headDim=" + headDim
                + ", c2p=" + (positionKeys != null) + ", p2c=" + (positionQueries != null) + "]";
    }
}
