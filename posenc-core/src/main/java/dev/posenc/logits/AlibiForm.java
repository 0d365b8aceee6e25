package dev.posenc.logits;

/**
 * How an ALiBi slope {@code m_h} becomes a bias. The causal forms differ only by a constant per query row, which
 * the softmax ignores, so they give identical attention; the logits themselves differ.
 */
public enum AlibiForm {
    /** The paper's {@code −m_h · (i − j)} (Press et al. 2022, eq. in §3): causal attention only. */
    CAUSAL("causal"),
    /** {@code −m_h · |i − j|}, the symmetric form for bidirectional attention (x-transformers' {@code AlibiPositionalBias}). */
    SYMMETRIC("symmetric"),
    /**
     * BLOOM's {@code +m_h · j} ({@code build_alibi_tensor}: key positions from {@code cumsum(attention_mask) − 1}),
     * relying on the softmax's invariance to a per-row constant: causal attention only. MPT's
     * {@code m_h · (j − (keyLength − 1))} ({@code build_alibi_bias}) is this form shifted by a constant per head.
     */
    KEY_POSITION("key_position");

    private final String id;

    AlibiForm(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
