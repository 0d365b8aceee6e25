package dev.posenc.attention;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileOps} with the Vector API: dot products four keys at a time sharing each query load, the output update
 * four vectors wide sharing each broadcast weight, and the exponential as a lane-wise operation. Held equal to
 * {@link ScalarTileOps} by {@code TileOpsTest}; only loaded when {@link VectorAvailability#ENABLED}.
 */
final class VectorTileOps implements TileOps {
    static final VectorTileOps INSTANCE = new VectorTileOps();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorTileOps() {}

    @Override
    public void dots(float[] q, int q0, int rows, float[] k, int k0, int cols, int d, float[] tile, int stride) {
        int upper = S.loopBound(d);
        for (int r = 0; r < rows; r++) {
            int qo = (q0 + r) * d;
            int c = 0;
            for (; c + 4 <= cols; c += 4) {
                int ko0 = (k0 + c) * d;
                int ko1 = ko0 + d;
                int ko2 = ko1 + d;
                int ko3 = ko2 + d;
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = FloatVector.zero(S);
                FloatVector a2 = FloatVector.zero(S);
                FloatVector a3 = FloatVector.zero(S);
                int x = 0;
                for (; x < upper; x += L) {
                    FloatVector qv = FloatVector.fromArray(S, q, qo + x);
                    a0 = qv.fma(FloatVector.fromArray(S, k, ko0 + x), a0);
                    a1 = qv.fma(FloatVector.fromArray(S, k, ko1 + x), a1);
                    a2 = qv.fma(FloatVector.fromArray(S, k, ko2 + x), a2);
                    a3 = qv.fma(FloatVector.fromArray(S, k, ko3 + x), a3);
                }
                float s0 = a0.reduceLanes(VectorOperators.ADD);
                float s1 = a1.reduceLanes(VectorOperators.ADD);
                float s2 = a2.reduceLanes(VectorOperators.ADD);
                float s3 = a3.reduceLanes(VectorOperators.ADD);
                for (; x < d; x++) {
                    float qx = q[qo + x];
                    s0 = Math.fma(qx, k[ko0 + x], s0);
                    s1 = Math.fma(qx, k[ko1 + x], s1);
                    s2 = Math.fma(qx, k[ko2 + x], s2);
                    s3 = Math.fma(qx, k[ko3 + x], s3);
                }
                int t = r * stride + c;
                tile[t] = s0;
                tile[t + 1] = s1;
                tile[t + 2] = s2;
                tile[t + 3] = s3;
            }
            for (; c < cols; c++) {
                int ko = (k0 + c) * d;
                FloatVector a = FloatVector.zero(S);
                int x = 0;
                for (; x < upper; x += L) {
                    a = FloatVector.fromArray(S, q, qo + x).fma(FloatVector.fromArray(S, k, ko + x), a);
                }
                float s = a.reduceLanes(VectorOperators.ADD);
                for (; x < d; x++) {
                    s = Math.fma(q[qo + x], k[ko + x], s);
                }
                tile[r * stride + c] = s;
            }
        }
    }

    @Override
    public void scaleAdd(float[] row, int off, int n, float scale, float[] add, int addOff) {
        int c = 0;
        for (int upper = S.loopBound(n); c < upper; c += L) {
            FloatVector.fromArray(S, row, off + c)
                    .fma(FloatVector.broadcast(S, scale), FloatVector.fromArray(S, add, addOff + c))
                    .intoArray(row, off + c);
        }
        for (; c < n; c++) {
            row[off + c] = Math.fma(row[off + c], scale, add[addOff + c]);
        }
    }

    @Override
    public void scale(float[] row, int off, int n, float scale) {
        int c = 0;
        for (int upper = S.loopBound(n); c < upper; c += L) {
            FloatVector.fromArray(S, row, off + c).mul(scale).intoArray(row, off + c);
        }
        for (; c < n; c++) {
            row[off + c] *= scale;
        }
    }

    @Override
    public float max(float[] row, int off, int n) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int c = 0;
        for (int upper = S.loopBound(n); c < upper; c += L) {
            m = m.max(FloatVector.fromArray(S, row, off + c));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (; c < n; c++) {
            max = Math.max(max, row[off + c]);
        }
        return max;
    }

    @Override
    public float expSum(float[] row, int off, int n, float max) {
        FloatVector sum = FloatVector.zero(S);
        int c = 0;
        for (int upper = S.loopBound(n); c < upper; c += L) {
            FloatVector e = FloatVector.fromArray(S, row, off + c).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(row, off + c);
            sum = sum.add(e);
        }
        float total = sum.reduceLanes(VectorOperators.ADD);
        for (; c < n; c++) {
            float e = (float) Math.exp(row[off + c] - max);
            row[off + c] = e;
            total += e;
        }
        return total;
    }

    @Override
    public void accumulate(float[] acc, int accOff, float correction, float[] p, int pOff, int n, float[] v, int k0,
                           int d) {
        int x = 0;
        int wide = 4 * L;
        for (; x + wide <= d; x += wide) {
            FloatVector a0 = FloatVector.fromArray(S, acc, accOff + x).mul(correction);
            FloatVector a1 = FloatVector.fromArray(S, acc, accOff + x + L).mul(correction);
            FloatVector a2 = FloatVector.fromArray(S, acc, accOff + x + 2 * L).mul(correction);
            FloatVector a3 = FloatVector.fromArray(S, acc, accOff + x + 3 * L).mul(correction);
            for (int c = 0; c < n; c++) {
                FloatVector w = FloatVector.broadcast(S, p[pOff + c]);
                int vo = (k0 + c) * d + x;
                a0 = w.fma(FloatVector.fromArray(S, v, vo), a0);
                a1 = w.fma(FloatVector.fromArray(S, v, vo + L), a1);
                a2 = w.fma(FloatVector.fromArray(S, v, vo + 2 * L), a2);
                a3 = w.fma(FloatVector.fromArray(S, v, vo + 3 * L), a3);
            }
            a0.intoArray(acc, accOff + x);
            a1.intoArray(acc, accOff + x + L);
            a2.intoArray(acc, accOff + x + 2 * L);
            a3.intoArray(acc, accOff + x + 3 * L);
        }
        for (; x + L <= d; x += L) {
            FloatVector a = FloatVector.fromArray(S, acc, accOff + x).mul(correction);
            for (int c = 0; c < n; c++) {
                a = FloatVector.broadcast(S, p[pOff + c]).fma(FloatVector.fromArray(S, v, (k0 + c) * d + x), a);
            }
            a.intoArray(acc, accOff + x);
        }
        for (; x < d; x++) {
            float a = acc[accOff + x] * correction;
            for (int c = 0; c < n; c++) {
                a = Math.fma(p[pOff + c], v[(k0 + c) * d + x], a);
            }
            acc[accOff + x] = a;
        }
    }
}
