package dev.posenc.querykey;

import java.util.Objects;

/**
 * cos and sin computed when a token needs them, without a table: for contexts too long to cache, or positions
 * scattered too widely to be worth one. Each row costs {@code 2 * pairs} {@link StrictMath} calls (about a
 * microsecond for 64 pairs), shared by all heads of the token; for runs of consecutive positions with
 * {@link RotaryPrecision#EXACT}, {@link RotaryEmbedding} derives the same bits from a re-anchored double
 * recurrence instead (package-private {@code ExactRowRecurrence}).
 *
 * <p>Immutable and thread-safe: it holds only the frequencies.
 */
public final class CosSinOnTheFly implements CosSinSource {
    private final RotaryFrequencies frequencies;
    private final RotaryPrecision precision;

    private CosSinOnTheFly(RotaryFrequencies frequencies, RotaryPrecision precision) {
        this.frequencies = Objects.requireNonNull(frequencies, "frequencies");
        this.precision = Objects.requireNonNull(precision, "precision");
        RotaryPrecision.requireFloatScaling(frequencies);
        precision.requireFiniteAngles(frequencies, Integer.MAX_VALUE);
    }

    /** Exact angles ({@link RotaryPrecision#EXACT}). */
    public static CosSinOnTheFly of(RotaryFrequencies frequencies) {
        return new CosSinOnTheFly(frequencies, RotaryPrecision.EXACT);
    }

    public static CosSinOnTheFly of(RotaryFrequencies frequencies, RotaryPrecision precision) {
        return new CosSinOnTheFly(frequencies, precision);
    }

    @Override
    public RotaryFrequencies frequencies() {
        return frequencies;
    }

    @Override
    public RotaryPrecision precision() {
        return precision;
    }

    @Override
    public void row(int position, float[] row, int offset) {
        Objects.requireNonNull(row, "row");
        if (position < 0) {
            throw new IllegalArgumentException("position must be >= 0, got " + position);
        }
        CosSinCache.checkRowFits(row, offset, frequencies.pairs());
        precision.cosSin(frequencies, position, row, offset);
    }

    @Override
    public String toString() {
        return "CosSinOnTheFly[" + precision + ", " + frequencies + "]";
    }
}
