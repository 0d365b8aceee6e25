package dev.posenc.input;

/** Combines position vectors with token embeddings, in place, before the query/key/value projections. */
public interface InputEncoding {
    /** The embedding size it expects. */
    int dim();

    /**
     * Encodes {@code tokens} embeddings ({@code tokens × dim()}, row-major) in place; token {@code t} is at position
     * {@code firstPosition + t}.
     */
    void encode(float[] embeddings, int tokens, int firstPosition);
}
