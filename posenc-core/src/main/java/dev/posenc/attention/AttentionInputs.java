package dev.posenc.attention;

import dev.posenc.logits.AttentionPositions;
import java.util.Objects;

/**
 * The projected queries, keys and values of one attention call and their positions. The arrays are held, not
 * copied (they are activations, possibly large); kernels never modify them.
 */
public final class AttentionInputs {
    private final float[] queries;
    private final float[] keys;
    private final float[] values;
    private final AttentionPositions positions;

    /**
     * @param queries {@code queryLength × numHeads × headDim}
     * @param keys {@code keyLength × numKeyValueHeads × headDim}
     * @param values same shape as {@code keys}
     * @param positions lengths and the position of the first query
     */
    public AttentionInputs(float[] queries, float[] keys, float[] values, AttentionPositions positions) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(positions, "positions");
        this.queries = queries;
        this.keys = keys;
        this.values = values;
        this.positions = positions;
    }

    /** Self-attention inputs over {@code length} tokens from position 0. */
    public static AttentionInputs selfAttention(float[] queries, float[] keys, float[] values, int length) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        return new AttentionInputs(queries, keys, values, AttentionPositions.selfAttention(length));
    }

    public AttentionPositions positions() {
        return positions;
    }

    float[] queries() {
        return queries;
    }

    float[] keys() {
        return keys;
    }

    float[] values() {
        return values;
    }

    /** Throws when the arrays do not have the sizes {@code spec} implies. */
    void checkShape(AttentionSpec spec) {
        long q = (long) positions.queryLength() * spec.numHeads() * spec.headDim();
        long kv = (long) positions.keyLength() * spec.numKeyValueHeads() * spec.headDim();
        if (queries.length != q || keys.length != kv || values.length != kv) {
            throw new IllegalArgumentException("expected " + q + " query values and " + kv + " key and value values ("
                    + positions.queryLength() + " queries, " + positions.keyLength() + " keys, " + spec.numHeads() + "/"
                    + spec.numKeyValueHeads() + " heads of " + spec.headDim() + "), got " + queries.length + ", "
                    + keys.length + ", " + values.length);
        }
    }

    /** Head {@code head} of a {@code length × heads × headDim} array, as a contiguous {@code length × headDim} copy. */
    static float[] head(float[] all, int length, int heads, int headDim, int head) {
        float[] out = new float[length * headDim];
        for (int t = 0; t < length; t++) {
            System.arraycopy(all, (t * heads + head) * headDim, out, t * headDim, headDim);
        }
        return out;
    }
}
