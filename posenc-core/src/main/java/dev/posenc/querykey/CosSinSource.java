package dev.posenc.querykey;

/**
 * Where the rotary kernels get cos and sin of every pair at a position: a {@link CosSinCache} (a table for a
 * position range, built once) or {@link CosSinOnTheFly} (computed per token, no memory, for long contexts).
 *
 * <p>A row for position {@code m} holds {@code cos(m * invFreq[i]) * attentionScaling} for {@code i < pairs}, then
 * the sines, as floats computed with the source's {@link RotaryPrecision}. Both implementations produce the same
 * bits for the same frequencies and precision.
 */
public sealed interface CosSinSource permits CosSinCache, CosSinOnTheFly {

    /** The frequencies the rows are computed from. */
    RotaryFrequencies frequencies();

    /** How the rows are computed. */
    RotaryPrecision precision();

    /**
     * Writes the row of {@code position}: cos of pair {@code i} into {@code row[offset + i]}, sin into
     * {@code row[offset + pairs + i]}.
     *
     * @throws IllegalArgumentException if the position is negative or outside a cache's range, or the row does not
     *     fit in {@code row} from {@code offset}
     */
    void row(int position, float[] row, int offset);
}
