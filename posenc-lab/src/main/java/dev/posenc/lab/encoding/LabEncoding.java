package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import dev.posenc.lab.ConstantCache;

/**
 * The hooks a trainable positional encoding plugs into the lab's language model ({@code dev.posenc.lab.TinyLm}), each
 * at its own point of the layer (x-transformers style: each hook defaults to "does nothing"). Not posenc-core's
 * {@code dev.posenc.config.ModelEncoding} (what a config declares) nor {@code dev.posenc.attention.AttentionEncodings}
 * (the library's attention slots): these hooks compute on DJL tensors inside the autograd graph.
 *
 * <pre>
 * tokens ─► embed ─(input)─► [ LN ─► q,k,v ─(queryKey)─► q·kᵀ·logitScale (+logitBias) ─► softmax ─► ·v (+values) ] × layers
 * </pre>
 *
 * <p>Tensors: {@code x} is {@code [B, T, D]}; the query/key hook sees {@code q, k, v} stacked as
 * {@code [3, B, H, T, headDim]}, the logit and value hooks {@code q, k} as {@code [B, H, T, headDim]}; biases broadcast
 * to {@code [B, H, T, T]}. Position {@code i} of a window is absolute position {@code i} (no KV cache in the lab).
 *
 * <p>Constants (tables, indices, slopes from posenc-core) are built by {@link #prepare} and cached per sequence
 * length ({@link ConstantCache}); hooks called inside a step only read them.
 */
public interface LabEncoding {
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

    /**
     * The query/key hook on {@code qkv}, {@code [3, B, H, T, headDim]}: queries, keys and values stacked on the first
     * axis, so that one tensor op encodes queries and keys together. Returns the same layout with queries and keys
     * encoded and the values (slot 2) unchanged, bit for bit. The default returns {@code qkv} itself (no copy).
     */
    default NDArray queryKey(NDArray qkv, int layer, int seqLen) {
        return qkv;
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
