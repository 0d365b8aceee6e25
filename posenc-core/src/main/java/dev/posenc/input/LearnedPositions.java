package dev.posenc.input;

import java.util.Objects;

/**
 * A learned absolute position table (BERT's {@code position_embeddings}, GPT-2's {@code wpe}): row {@code p} is the
 * vector of position {@code p}. It has no vector beyond its last row, so it cannot extrapolate: asking for a position
 * past {@code maxPositions − 1} is an error that names the position and the table length.
 *
 * @param maxPositions the number of rows ({@code max_position_embeddings})
 * @param dim the vector size
 * @param weights {@code maxPositions × dim} values, row-major (copied)
 */
public record LearnedPositions(int maxPositions, int dim, float[] weights) implements AbsolutePositions {
    public LearnedPositions {
        Objects.requireNonNull(weights, "weights");
        if (maxPositions <= 0 || dim <= 0) {
            throw new IllegalArgumentException("a learned table needs positive max_position_embeddings and dim, got "
                    + maxPositions + " x " + dim);
        }
        if (weights.length != (long) maxPositions * dim) {
            throw new IllegalArgumentException("a learned table of " + maxPositions + " x " + dim + " needs "
                    + (long) maxPositions * dim + " weights, got " + weights.length);
        }
        weights = weights.clone();
    }

    @Override
    public float[] weights() {
        return weights.clone();
    }

    @Override
    public float[] table(int firstPosition, int count) {
        if (firstPosition < 0 || count < 0) {
            throw new IllegalArgumentException("positions must be >= 0, got first " + firstPosition + ", count " + count);
        }
        long last = (long) firstPosition + count - 1;
        if (count > 0 && last >= maxPositions) {
            throw new IllegalArgumentException("position " + last + " is beyond the learned table's " + maxPositions
                    + " positions (0.." + (maxPositions - 1) + ", max_position_embeddings); a learned table cannot"
                    + " extrapolate");
        }
        float[] out = new float[count * dim];
        System.arraycopy(weights, firstPosition * dim, out, 0, count * dim);
        return out;
    }
}
