package dev.posenc.attention;

/**
 * The inner loops of {@link StreamingAttention} over one tile: the only code that differs between the scalar
 * reference ({@link ScalarTileOps}) and the Vector API version ({@link VectorTileOps}), which a test holds equal.
 * Matrices are row-major with rows of {@code d} floats.
 */
interface TileOps {
    /** {@code tile[r·stride + c] = q[q0 + r] · k[k0 + c]} for {@code r < rows}, {@code c < cols}. */
    void dots(float[] q, int q0, int rows, float[] k, int k0, int cols, int d, float[] tile, int stride);

    /** {@code row[off + c] = row[off + c] · scale + add[addOff + c]} for {@code c < n}. */
    void scaleAdd(float[] row, int off, int n, float scale, float[] add, int addOff);

    /** {@code row[off + c] *= scale} for {@code c < n}. */
    void scale(float[] row, int off, int n, float scale);

    /** The largest of {@code row[off .. off + n)}. */
    float max(float[] row, int off, int n);

    /** {@code row[off + c] = exp(row[off + c] − max)} for {@code c < n}; returns their sum. */
    float expSum(float[] row, int off, int n, float max);

    /**
     * {@code acc[accOff .. + d) = acc · correction + Σ_{c<n} p[pOff + c] · v[k0 + c]}: the online softmax's update of
     * one output row.
     */
    void accumulate(float[] acc, int accOff, float correction, float[] p, int pOff, int n, float[] v, int k0, int d);

    /** The Vector API version when {@code jdk.incubator.vector} is resolved and not disabled, else the scalar one. */
    static TileOps best() {
        return VectorAvailability.ENABLED ? VectorAvailability.vectorOps() : ScalarTileOps.INSTANCE;
    }
}
