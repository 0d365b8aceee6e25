package dev.posenc.attention;

/** Computes attention outputs from projected queries, keys and values. Implementations are thread-safe. */
public interface AttentionKernel {
    /** The geometry it computes. */
    AttentionSpec spec();

    /**
     * The attention output, {@code queryLength × numHeads × headDim}: for each query and head,
     * {@code Σ_j softmax_j(a_ij) · v_j} plus the value encoding's term.
     */
    float[] attend(AttentionInputs inputs);
}
