package dev.posenc.config;

import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RotaryEmbedding;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The ready-to-use rotation of one layer ({@link LayerAttention#rotation(int)}): the rotary embedding with its
 * cos/sin table and where the rotated slices lie in the usual token-major buffers, {@code q} as
 * {@code [tokens][query heads][qk head_dim]} and {@code k} as {@code [tokens][KV heads][qk head_dim]}, or for
 * multi-head latent attention (DeepSeek-V2/V3, Kimi K2) {@code k} as the shared {@code k_pe}
 * {@code [tokens][qk_rope_head_dim]}.
 *
 * <p>For other layouts (head-major, fused QKV) use {@link #embedding()} with your own {@link HeadStrides},
 * shifted by the slice's offset ({@link LayerEncoding.Rotary#offset()}). Immutable and thread-safe, as
 * {@link RotaryEmbedding} is.
 *
 * @param embedding the rotary embedding (with M-RoPE axes where the model has them)
 * @param queryStrides the rotated slice of each query head in {@code [tokens][query heads][qk head_dim]}
 * @param keyStrides the rotated slice of each key head in {@code [tokens][KV heads][qk head_dim]}, or the
 *     {@code k_pe} buffer {@code [tokens][qk_rope_head_dim]} for MLA
 */
public record LayerRotation(RotaryEmbedding embedding, HeadStrides queryStrides, HeadStrides keyStrides) {
    public LayerRotation {
        Objects.requireNonNull(embedding, "embedding");
        Objects.requireNonNull(queryStrides, "queryStrides");
        Objects.requireNonNull(keyStrides, "keyStrides");
    }

    /**
     * Rotates {@code tokens} tokens of {@code q} and {@code k} in place ({@code RopePositions.startingAt(past)} for
     * tokens following {@code past} cached ones; one row per axis, {@code RopePositions.axes(t, h, w)}, for M-RoPE).
     */
    public void apply(RopePositions positions, int tokens, float[] q, float[] k) {
        embedding.apply(positions, tokens, q, queryStrides, k, keyStrides);
    }

    /** As {@link #apply(RopePositions, int, float[], float[])}, on segments of floats. */
    public void apply(RopePositions positions, int tokens, MemorySegment q, MemorySegment k) {
        embedding.apply(positions, tokens, q, queryStrides, k, keyStrides);
    }
}
