package dev.posenc.input;

/** A source of absolute position vectors {@code p_pos ∈ R^dim}. Implementations are immutable and thread-safe. */
public interface AbsolutePositions {
    /** The size of one position vector. */
    int dim();

    /**
     * The vectors of positions {@code firstPosition .. firstPosition + count − 1}, row-major
     * ({@code count × dim}).
     *
     * @throws IllegalArgumentException for a negative position or one this source cannot encode
     */
    float[] table(int firstPosition, int count);
}
