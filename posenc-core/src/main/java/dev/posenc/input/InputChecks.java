package dev.posenc.input;

/** The argument checks shared by the input encodings. */
final class InputChecks {
    private InputChecks() {}

    /** The position table for {@code tokens} embeddings, after checking the embedding array's size. */
    static float[] table(AbsolutePositions positions, float[] embeddings, int tokens, int firstPosition) {
        if (tokens < 0 || embeddings.length != (long) tokens * positions.dim()) {
            throw new IllegalArgumentException("expected " + tokens + " x " + positions.dim() + " embeddings, got "
                    + embeddings.length + " values");
        }
        return positions.table(firstPosition, tokens);
    }
}
