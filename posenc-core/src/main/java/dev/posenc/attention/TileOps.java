package dev.posenc.attention;

/**
 * The inner loops of {@link StreamingAttention} over one tile: the only code that differs between the scalar
 * reference ({@link ScalarTileOps}) and the Vector API version ({@link VectorTileOps}), which a test holds equal.
 * Matrices are row-major with rows of {@code d} floats.
 */
interface TileOps {
    /**
     * The keys ({@code klen} rows of {@code d}) in the layout {@link #dots} reads: the same array for the scalar
     * version, a transposed copy for the Vector API one. Computed once per key/value head: {@code O(klen · d)}.
     */
    float[] layoutKeys(float[] k, int klen, int d);

    /**
     * {@code tile[r·stride + c] = q[q0 + r] · k[k0 + c]} for {@code r < rows}, {@code c < cols}, where {@code keys}
     * is {@link #layoutKeys laid out} by this object and {@code stride ≥ cols}.
     */
    void dots(float[] q, int q0, int rows, float[] keys, int k0, int cols, int d, float[] tile, int stride);

    /** {@code row[off + c] = row[off + c] · scale + add[addOff + c]} for {@code c < n}. */
    void scaleAdd(float[] row, int off, int n, float scale, float[] add, int addOff);

    /** {@code row[off + c] *= scale} for {@code c < n}. */
    void scale(float[] row, int off, int n, float scale);

    /** The largest of {@code row[off .. off + n)}. */
    float max(float[] row, int off, int n);

    /** {@code row[off + c] = exp(row[off + c] − max)} for {@code c < n}; returns their sum. */
    float expSum(float[] row, int off, int n, float max);

    /** The values ({@code klen} rows of {@code d}) in the layout {@link #accumulate} reads; as {@link #layoutKeys}. */
    float[] layoutValues(float[] v, int klen, int d);

    /**
     * For each row {@code r < rows}: {@code acc[r·d .. + d) = acc · correction[r] + Σ_{c<n[r]} p[r·stride + c] ·
     * v[k0 + c]}, the online softmax's update of a block of output rows, where {@code values} is
     * {@link #layoutValues laid out} by this object. {@code p[r·stride + c]} must be zero for
     * {@code n[r] ≤ c < max(n)}: the Vector API version shares each loaded value row between output rows.
     */
    void accumulate(float[] acc, float[] correction, int[] n, int rows, float[] p, int stride, float[] values, int k0,
                    int d);

    /** The Vector API version when {@code jdk.incubator.vector} is resolved and not disabled, else the scalar one. */
    static TileOps best() {
        return VectorAvailability.ENABLED ? VectorAvailability.vectorOps() : ScalarTileOps.INSTANCE;
    }
}
