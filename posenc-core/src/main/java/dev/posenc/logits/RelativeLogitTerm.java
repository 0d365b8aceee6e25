package dev.posenc.logits;

/**
 * A relative term {@code t_h(i, j)} of the attention logits that depends on the query or key content as well as on
 * positions. It is added before the softmax scale: {@code a_ij = scale · (q_i·k_j + t_h(i, j))}, as Shaw et al.,
 * Transformer-XL and DeBERTa all scale it.
 *
 * <p>Two paths compute the same numbers: {@link #addToScores} materialises the term for all pairs the way the
 * source computes it (a gather, a relative shift) for the reference attention; {@link #prepare} returns per-call
 * tables from which a streaming attention computes tiles without ever holding {@code S × S} values.
 * Implementations are immutable and thread-safe; prepared terms are confined to the calling thread.
 */
public interface RelativeLogitTerm {
    /** Throws an {@link IllegalArgumentException} when the attention's geometry does not fit this term. */
    void checkAttention(int numHeads, int headDim, boolean causal);

    /**
     * Adds {@code t_head(i, j)} to {@code scores[i · keyLength + j]} for every pair.
     *
     * @param queries this head's queries, {@code queryLength × headDim}
     * @param keys this head's keys (its key/value group's), {@code keyLength × headDim}
     */
    void addToScores(int head, float[] queries, float[] keys, AttentionPositions positions, double[] scores);

    /** The per-call state from which tiles of {@code t_head} are computed. */
    PreparedTerm prepare(int head, float[] queries, float[] keys, AttentionPositions positions);

    /** Computes tiles of a prepared term. Not thread-safe. */
    interface PreparedTerm {
        /**
         * Adds {@code t(i, j)} to {@code tile[(i − q0) · stride + (j − k0)]} for {@code q0 <= i < q1},
         * {@code k0 <= j < k1}.
         */
        void addToTile(int q0, int q1, int k0, int k1, float[] tile, int stride);
    }
}
