package dev.posenc.logits;

/**
 * A relative vector added to each value: {@code z_i = Σ_j α_ij (v_j + a_{r(i,j)})}, where {@code r(i, j)} indexes
 * one of {@link #numRelativePositions} vectors (Shaw et al. 2018, eq. 3). Because {@code Σ_j α_ij a_{r(i,j)} =
 * Σ_r (Σ_{j: r(i,j)=r} α_ij) a_r}, a streaming attention only keeps the attention mass per relative index.
 * Implementations are immutable and thread-safe.
 */
public interface RelativeValueEncoding {
    /** Throws an {@link IllegalArgumentException} when the attention's geometry does not fit. */
    void checkAttention(int numHeads, int headDim);

    /** The number of distinct relative vectors. */
    int numRelativePositions();

    /** The relative index of key {@code keyPosition} seen from query {@code queryPosition}. */
    int relativeIndex(int queryPosition, int keyPosition);

    /** Adds {@code weight · a_index} (of {@code head}) to {@code out[offset .. offset + headDim)}. */
    void addScaled(int head, int index, double weight, float[] out, int offset);
}
