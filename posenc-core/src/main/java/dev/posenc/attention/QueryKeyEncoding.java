package dev.posenc.attention;

/**
 * An encoding that transforms the projected queries and keys in place, after the projections and before
 * {@code q·k}: the plug point of rotary embeddings ({@link RotaryQueryKey}: RoPE and xPos from
 * {@code dev.posenc.querykey}). Queries and keys may be transformed differently (xPos scales them inversely).
 * Implementations are immutable and thread-safe.
 */
public interface QueryKeyEncoding {
    /**
     * Transforms {@code tokens × numHeads × headDim} queries in place; token {@code t} is at position
     * {@code firstPosition + t}.
     */
    void encodeQueries(float[] queries, int tokens, int numHeads, int headDim, int firstPosition);

    /** Transforms {@code tokens × numHeads × headDim} keys in place; token {@code t} is at position {@code firstPosition + t}. */
    void encodeKeys(float[] keys, int tokens, int numHeads, int headDim, int firstPosition);

    /** Throws an {@link IllegalArgumentException} with a one-line reason when it cannot act on this attention. */
    default void checkAttention(AttentionSpec spec) {}
}
