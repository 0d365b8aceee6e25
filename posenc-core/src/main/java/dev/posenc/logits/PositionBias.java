package dev.posenc.logits;

/**
 * A bias {@code b_h(i, j)} on the attention logits that depends on positions only, added after the softmax scale:
 * {@code a_ij = scale · q_i·k_j + b_h(i, j)}. Implementations are immutable and thread-safe.
 */
public interface PositionBias {
    /** The number of heads it has a bias for. */
    int numHeads();

    /** {@code b_head(queryPosition, keyPosition)}, in double precision. */
    double bias(int head, int queryPosition, int keyPosition);

    /**
     * True when {@code bias(h, i, j)} depends on {@code j − i} only; streaming kernels then tabulate it once per
     * relative position instead of once per pair.
     */
    boolean relativeOnly();

    /**
     * Throws an {@link IllegalArgumentException} with a one-line reason when this bias makes no sense in a causal
     * (or bidirectional) attention, e.g. ALiBi's causal form in a bidirectional encoder.
     */
    default void checkAttention(boolean causal) {}
}
