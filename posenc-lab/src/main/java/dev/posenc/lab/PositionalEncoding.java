package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * One positional encoding inside {@link TinyLm}, acting at its own point of the layer (x-transformers style: each
 * hook defaults to "does nothing"):
 *
 * <pre>
 * tokens ─► embed ─(input)─► [ LN ─► q,k,v ─(queryKey)─► q·kᵀ·logitScale (+logitBias) ─► softmax ─► ·v (+values) ] × layers
 * </pre>
 *
 * <p>Tensors: {@code x} is {@code [B, T, D]}; {@code q, k, v} are {@code [B, H, T, headDim]}; biases broadcast to
 * {@code [B, H, T, T]}. Position {@code i} of a window is absolute position {@code i} (no KV cache in the lab).
 *
 * <p>Constants (tables, indices, slopes from posenc-core) are built by {@link #prepare} outside any step scope and
 * cached per sequence length; hooks called inside a step only read them.
 */
interface PositionalEncoding {
    /** The encoding's name as the lab reports it ({@code rope}, {@code rope+ntk}, ...). */
    String name();

    /** Builds the constants needed for windows of {@code seqLen} tokens. Called before any forward at that length. */
    default void prepare(int seqLen) {}

    /** Whether windows of {@code seqLen} tokens can be encoded (a learned table ends at its length). */
    default boolean supports(int seqLen) {
        return true;
    }

    /** The input hook: {@code x} after the token embedding. */
    default NDArray input(NDArray x, int seqLen) {
        return x;
    }

    /** The query/key hook: returns the (possibly rotated) {@code q} and {@code k}. */
    default NDList queryKey(NDArray q, NDArray k, int layer, int seqLen) {
        return new NDList(q, k);
    }

    /**
     * The query/key hook on queries and keys stacked as {@code [2, B, H, T, headDim]} (one tensor op can then
     * encode both); returns them in the same layout. The default unstacks and calls {@link #queryKey}.
     */
    default NDArray queryKeyStacked(NDArray qk, int layer, int seqLen) {
        NDList out = queryKey(qk.get(0), qk.get(1), layer, seqLen);
        return out.get(0).stack(out.get(1));
    }

    /** The factor on {@code q·kᵀ}: {@code 1/√headDim} unless the encoding rescales (DeBERTa, YaRN). */
    default float logitScale(int headDim) {
        return (float) (1 / Math.sqrt(headDim));
    }

    /** The logits hook: an additive bias after scaling, or {@code null} for none. */
    default NDArray logitBias(NDArray q, NDArray k, int layer, int seqLen) {
        return null;
    }

    /** The values hook: a term added to {@code softmax·v} ({@code [B, H, T, headDim]}), or {@code null}. */
    default NDArray values(NDArray probabilities, int layer, int seqLen) {
        return null;
    }
}
