package dev.posenc.querykey;

import java.util.Objects;

/**
 * A table of cos and sin for the positions {@code [start, end)}: built once, then read by every layer and every
 * call whose positions fall in the range (vLLM keeps the same table for {@code [0, max_position_embeddings)}).
 *
 * <p>Memory: {@code 2 * pairs * (end - start)} floats, e.g. 2 MiB for 64 pairs and 4096 positions, 64 MiB for
 * 131072 positions. Beyond that, {@link CosSinOnTheFly} computes rows per token instead.
 *
 * <p>Immutable and thread-safe: the table is filled in the constructor and never written again, and it is reached
 * only through final fields, so any thread that sees the object sees the whole table.
 */
public final class CosSinCache implements CosSinSource {
    private final RotaryFrequencies frequencies;
    private final RotaryPrecision precision;
    private final int start;
    private final int end;
    private final int rowLength;
    /** Row {@code p - start} at {@code [(p - start) * rowLength, ...)}: {@code pairs} cosines, then the sines. */
    private final float[] table;

    private CosSinCache(RotaryFrequencies frequencies, RotaryPrecision precision, int start, int end) {
        this.frequencies = Objects.requireNonNull(frequencies, "frequencies");
        this.precision = Objects.requireNonNull(precision, "precision");
        RotaryPrecision.requireFloatScaling(frequencies);
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException(
                    "cos/sin cache range must satisfy 0 <= start < end, got [" + start + ", " + end + ")");
        }
        precision.requireFiniteAngles(frequencies, end - 1);
        this.start = start;
        this.end = end;
        this.rowLength = 2 * frequencies.pairs();
        long floats = (long) rowLength * (end - start);
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cos/sin cache for [" + start + ", " + end + ") would hold " + floats
                    + " floats, more than one Java array can; use CosSinOnTheFly for contexts this long");
        }
        this.table = new float[(int) floats];
        for (int p = start; p < end; p++) {
            precision.cosSin(frequencies, p, table, (p - start) * rowLength);
        }
    }

    /** A table for positions {@code [start, end)} with exact angles ({@link RotaryPrecision#EXACT}). */
    public static CosSinCache of(RotaryFrequencies frequencies, int start, int end) {
        return new CosSinCache(frequencies, RotaryPrecision.EXACT, start, end);
    }

    /** A table for positions {@code [start, end)}. */
    public static CosSinCache of(RotaryFrequencies frequencies, int start, int end, RotaryPrecision precision) {
        return new CosSinCache(frequencies, precision, start, end);
    }

    @Override
    public RotaryFrequencies frequencies() {
        return frequencies;
    }

    @Override
    public RotaryPrecision precision() {
        return precision;
    }

    /** First position in the table. */
    public int start() {
        return start;
    }

    /** One past the last position in the table. */
    public int end() {
        return end;
    }

    /** Size of the table in bytes: {@code 4 * 2 * pairs * (end - start)}. */
    public long bytes() {
        return 4L * table.length;
    }

    /** {@code cos(position * invFreq[pair]) * attentionScaling}, as stored. */
    public float cos(int position, int pair) {
        return table[rowOffset(position) + checkPair(pair)];
    }

    /** {@code sin(position * invFreq[pair]) * attentionScaling}, as stored. */
    public float sin(int position, int pair) {
        return table[rowOffset(position) + rowLength / 2 + checkPair(pair)];
    }

    @Override
    public void row(int position, float[] row, int offset) {
        Objects.requireNonNull(row, "row");
        checkRowFits(row, offset, rowLength / 2);
        System.arraycopy(table, rowOffset(position), row, offset, rowLength);
    }

    /** The backing table, for the kernels to read rows in place. Never written after construction. */
    float[] table() {
        return table;
    }

    /** Offset of {@code position}'s row in {@link #table()}. */
    int rowOffset(int position) {
        if (position < start || position >= end) {
            throw new IllegalArgumentException(
                    "position " + position + " is outside the cos/sin cache's range [" + start + ", " + end + ")");
        }
        return (position - start) * rowLength;
    }

    private int checkPair(int pair) {
        return Objects.checkIndex(pair, rowLength / 2);
    }

    static void checkRowFits(float[] row, int offset, int pairs) {
        if (offset < 0 || offset > row.length - 2 * pairs) {
            throw new IllegalArgumentException("a cos/sin row of " + 2 * pairs + " floats does not fit at offset "
                    + offset + " of an array of " + row.length);
        }
    }

    @Override
    public String toString() {
        return "CosSinCache[" + precision + ", positions [" + start + ", " + end + "), " + frequencies + "]";
    }
}
