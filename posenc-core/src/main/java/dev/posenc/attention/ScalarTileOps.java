package dev.posenc.attention;

/** The scalar reference of {@link TileOps}: plain loops, float accumulation with fused multiply-adds. */
final class ScalarTileOps implements TileOps {
    static final ScalarTileOps INSTANCE = new ScalarTileOps();

    private ScalarTileOps() {}

    @Override
    public float[] layoutKeys(float[] k, int klen, int d) {
        return k;
    }

    @Override
    public float[] layoutValues(float[] v, int klen, int d) {
        return v;
    }

    @Override
    public void dots(float[] q, int q0, int rows, float[] k, int k0, int cols, int d, float[] tile, int stride) {
        for (int r = 0; r < rows; r++) {
            int qo = (q0 + r) * d;
            for (int c = 0; c < cols; c++) {
                int ko = (k0 + c) * d;
                float sum = 0;
                for (int x = 0; x < d; x++) {
                    sum = Math.fma(q[qo + x], k[ko + x], sum);
                }
                tile[r * stride + c] = sum;
            }
        }
    }

    @Override
    public void scaleAdd(float[] row, int off, int n, float scale, float[] add, int addOff) {
        for (int c = 0; c < n; c++) {
            row[off + c] = Math.fma(row[off + c], scale, add[addOff + c]);
        }
    }

    @Override
    public void scale(float[] row, int off, int n, float scale) {
        for (int c = 0; c < n; c++) {
            row[off + c] *= scale;
        }
    }

    @Override
    public float max(float[] row, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, row[off + c]);
        }
        return max;
    }

    @Override
    public float expSum(float[] row, int off, int n, float max) {
        float sum = 0;
        for (int c = 0; c < n; c++) {
            float e = (float) Math.exp(row[off + c] - max);
            row[off + c] = e;
            sum += e;
        }
        return sum;
    }

    @Override
    public void accumulate(float[] acc, float[] correction, int[] n, int rows, float[] p, int stride, float[] v,
                           int k0, int d) {
        for (int r = 0; r < rows; r++) {
            int accOff = r * d;
            int pOff = r * stride;
            for (int x = 0; x < d; x++) {
                acc[accOff + x] *= correction[r];
            }
            for (int c = 0; c < n[r]; c++) {
                float w = p[pOff + c];
                int vo = (k0 + c) * d;
                for (int x = 0; x < d; x++) {
                    acc[accOff + x] = Math.fma(w, v[vo + x], acc[accOff + x]);
                }
            }
        }
    }
}
