package dev.posenc.logits;

/**
 * Shaw et al.'s clipped relative distance (arXiv:1803.02155, eq. 3–4), the row of the key and value tables
 * ({@link ShawRelativeKeys}, {@link ShawRelativeValues}) that a query/key pair reads. Public so that code building
 * the same tables elsewhere (posenc-lab's trained model) uses this definition rather than a copy.
 */
public final class ShawDistance {
    private ShawDistance() {}

    /**
     * {@code clip(j − i, −k, k) + k}, the row of {@code w^K}/{@code w^V} for query position {@code i} and key
     * position {@code j}: {@code 0} for keys {@code k} or more positions before the query, {@code 2k} for keys
     * {@code k} or more after it.
     *
     * @param queryPosition {@code i}
     * @param keyPosition {@code j}
     * @param k the clipping distance, {@code >= 0}
     * @return a row in {@code [0, 2k]}
     */
    public static int index(int queryPosition, int keyPosition, int k) {
        return Math.clamp((long) keyPosition - queryPosition, -k, k) + k;
    }

    static void checkTable(String name, int k, int headDim, float[] table) {
        if (k < 0 || headDim < 1) {
            throw new IllegalArgumentException("Shaw's clipping distance must be >= 0 and head_dim >= 1, got k=" + k
                    + ", head_dim=" + headDim);
        }
        if (table.length != (2L * k + 1) * headDim) {
            throw new IllegalArgumentException(name + " must have (2k+1) x head_dim = " + (2L * k + 1) * headDim
                    + " values, got " + table.length);
        }
    }

    static void checkHeadDim(int expected, int actual) {
        if (expected != actual) {
            throw new IllegalArgumentException("Shaw's relative tables have head_dim " + expected
                    + " but the attention's head_dim is " + actual);
        }
    }
}
