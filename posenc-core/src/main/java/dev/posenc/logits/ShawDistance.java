package dev.posenc.logits;

/** Shaw et al.'s clipped distance, shared by the key and value tables. */
final class ShawDistance {
    private ShawDistance() {}

    /** {@code clip(j − i, −k, k) + k}, the row of {@code w^K}/{@code w^V}. */
    static int index(int queryPosition, int keyPosition, int k) {
        return Math.clamp((long) keyPosition - queryPosition, -k, k) + k;
    }

    static void checkTable(String name, int k, int headDim, float[] table) {
        if (k < 0 || headDim < 1) {
            throw new IllegalArgumentException("Shaw's clipping distance must be >= 0 and head_dim >= 1, got k=" + k
                    + ", head_dim=" + headDim);
        }
        if (table == null || table.length != (2L * k + 1) * headDim) {
            throw new IllegalArgumentException(name + " must have (2k+1) x head_dim = " + (2L * k + 1) * headDim
                    + " values, got " + (table == null ? "null" : table.length));
        }
    }

    static void checkHeadDim(int expected, int actual) {
        if (expected != actual) {
            throw new IllegalArgumentException("Shaw's relative tables have head_dim " + expected
                    + " but the attention's head_dim is " + actual);
        }
    }
}
