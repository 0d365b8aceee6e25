package dev.posenc.querykey;

import java.util.Objects;

/**
 * The positions of the tokens of one call: token {@code t} (counted from 0 within the call) is at
 * {@link #startingAt consecutive positions} {@code start + t} (prefill from 0, or decoding after {@code start}
 * cached tokens), at {@link #of explicit positions} (packed sequences, speculative decoding), or, for multi-axis
 * RoPE ({@link RotaryAxes}), at one position per axis: Hugging Face's {@code position_ids} of shape
 * {@code (axes, tokens)} for one batch row.
 *
 * <p>Immutable: explicit arrays are copied in. Positions are non-negative {@code int}s.
 */
public final class RopePositions {
    private final int start;
    /** {@code null} for consecutive positions; else {@code [axis][token]}. */
    private final int[][] explicit;

    private RopePositions(int start, int[][] explicit) {
        this.start = start;
        this.explicit = explicit;
    }

    /** Token {@code t} at position {@code start + t}. */
    public static RopePositions startingAt(int start) {
        if (start < 0) {
            throw new IllegalArgumentException("start position must be >= 0, got " + start);
        }
        return new RopePositions(start, null);
    }

    /** Token {@code t} at {@code positions[t]}; the call must rotate exactly {@code positions.length} tokens. */
    public static RopePositions of(int... positions) {
        Objects.requireNonNull(positions, "positions");
        return new RopePositions(0, new int[][] {checked(positions, -1).clone()});
    }

    /**
     * Multi-axis positions: token {@code t} at {@code positionIds[a][t]} on axis {@code a}, e.g. M-RoPE's temporal,
     * height and width rows, or the row and column of an image patch. All rows have the same length, the number of
     * tokens of the call.
     */
    public static RopePositions axes(int[]... positionIds) {
        Objects.requireNonNull(positionIds, "positionIds");
        if (positionIds.length == 0) {
            throw new IllegalArgumentException("position_ids must have at least one axis");
        }
        int[][] copy = new int[positionIds.length][];
        for (int a = 0; a < positionIds.length; a++) {
            copy[a] = checked(positionIds[a], a).clone();
            if (copy[a].length != copy[0].length) {
                throw new IllegalArgumentException("position_ids axis " + a + " has " + copy[a].length
                        + " positions, axis 0 has " + copy[0].length);
            }
        }
        return new RopePositions(0, copy);
    }

    private static int[] checked(int[] positions, int axis) {
        String name = axis < 0 ? "positions" : "position_ids axis " + axis;
        Objects.requireNonNull(positions, name);
        for (int t = 0; t < positions.length; t++) {
            if (positions[t] < 0) {
                throw new IllegalArgumentException(name + "[" + t + "] must be >= 0, got " + positions[t]);
            }
        }
        return positions;
    }

    /** Number of position axes: 1 unless built with {@link #axes}. */
    public int axes() {
        return explicit == null ? 1 : explicit.length;
    }

    /**
     * Checks that these positions can serve a call of {@code tokens} tokens with {@code axesNeeded} axes (1 for
     * plain RoPE; single-axis positions also serve every axis, as Hugging Face expands 2-D position ids).
     */
    void check(int tokens, int axesNeeded) {
        if (explicit == null) {
            if (tokens > 0 && start > Integer.MAX_VALUE - (tokens - 1)) {
                throw new IllegalArgumentException("positions " + start + " + " + tokens + " tokens exceed "
                        + Integer.MAX_VALUE);
            }
            return;
        }
        if (explicit[0].length != tokens) {
            throw new IllegalArgumentException(
                    "got " + explicit[0].length + " positions per axis for a call of " + tokens + " tokens");
        }
        if (explicit.length != 1 && explicit.length != axesNeeded) {
            throw new IllegalArgumentException("got position_ids with " + explicit.length + " axes, the rotary axes use "
                    + axesNeeded);
        }
    }

    /** Smallest and largest position of the first {@code tokens} tokens on {@code axis}, {@code {min, max}}. */
    int[] range(int axis, int tokens) {
        if (explicit == null) {
            return new int[] {start, start + tokens - 1};
        }
        int[] ids = explicit.length == 1 ? explicit[0] : explicit[axis];
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int t = 0; t < tokens; t++) {
            min = Math.min(min, ids[t]);
            max = Math.max(max, ids[t]);
        }
        return new int[] {min, max};
    }

    /** Position of token {@code t} on axis {@code axis}; single-axis positions serve every axis. */
    int at(int axis, int t) {
        if (explicit == null) {
            return start + t;
        }
        return explicit.length == 1 ? explicit[0][t] : explicit[axis][t];
    }

    @Override
    public String toString() {
        if (explicit == null) {
            return "RopePositions[start=" + start + "]";
        }
        return "RopePositions[" + explicit.length + " axes x " + explicit[0].length + " tokens]";
    }
}
