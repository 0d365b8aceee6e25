package dev.posenc.attention;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileOps} with the Vector API: dot products and the output update register-blocked four rows by four
 * vectors with fused multiply-adds (keys transposed so that a vector holds one element of sixteen keys), and the
 * exponential as a lane-wise operation. Held equal to
 * {@link ScalarTileOps} by {@code TileOpsTest}; only loaded when {@link VectorAvailability#ENABLED}.
 */
final class VectorTileOps implements TileOps {
    static final VectorTileOps INSTANCE = new VectorTileOps();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorTileOps() {}

    /**
     * Keys transposed: {@code keys[x·ks + j] = k[j·d + x]}, with {@code ks} = {@code klen} rounded up to a whole
     * vector plus one vector of zero padding, so that a vector load at any key column stays in the array.
     */
    @Override
    public float[] layoutKeys(float[] k, int klen, int d) {
        int ks = (klen + L - 1) / L * L + L;
        float[] keys = new float[d * ks];
        for (int j = 0; j < klen; j++) {
            for (int x = 0; x < d; x++) {
                keys[x * ks + j] = k[j * d + x];
            }
        }
        return keys;
    }

    /**
     * Register-blocked: four query rows × four vectors of keys, sixteen accumulators, each loaded key vector shared
     * by four rows and each broadcast query element by four vectors. Every lane sums {@code q[x]·k[x]} over
     * {@code x} in order with one fused multiply-add per term, as the scalar version does.
     */
    @Override
    public void dots(float[] q, int q0, int rows, float[] keys, int k0, int cols, int d, float[] tile, int stride) {
        int ks = keys.length / d;
        int c = 0;
        for (; c + 4 * L <= cols; c += 4 * L) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                dots4x4(q, (q0 + r) * d, keys, ks, k0 + c, d, tile, r * stride + c, stride);
            }
            for (; r < rows; r++) {
                for (int j = 0; j < 4 * L; j += L) {
                    dots1x1(q, (q0 + r) * d, keys, ks, k0 + c + j, d, tile, r * stride + c + j, L);
                }
            }
        }
        for (; c < cols; c += L) {
            int n = Math.min(L, cols - c);
            for (int r = 0; r < rows; r++) {
                dots1x1(q, (q0 + r) * d, keys, ks, k0 + c, d, tile, r * stride + c, n);
            }
        }
    }

    private static void dots4x4(float[] q, int qo, float[] keys, int ks, int kc, int d, float[] tile, int t,
                                int stride) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int x = 0; x < d; x++) {
            int ko = x * ks + kc;
            FloatVector k0 = FloatVector.fromArray(S, keys, ko);
            FloatVector k1 = FloatVector.fromArray(S, keys, ko + L);
            FloatVector k2 = FloatVector.fromArray(S, keys, ko + 2 * L);
            FloatVector k3 = FloatVector.fromArray(S, keys, ko + 3 * L);
            FloatVector b = FloatVector.broadcast(S, q[qo + x]);
            a00 = b.fma(k0, a00);
            a01 = b.fma(k1, a01);
            a02 = b.fma(k2, a02);
            a03 = b.fma(k3, a03);
            b = FloatVector.broadcast(S, q[qo + d + x]);
            a10 = b.fma(k0, a10);
            a11 = b.fma(k1, a11);
            a12 = b.fma(k2, a12);
            a13 = b.fma(k3, a13);
            b = FloatVector.broadcast(S, q[qo + 2 * d + x]);
            a20 = b.fma(k0, a20);
            a21 = b.fma(k1, a21);
            a22 = b.fma(k2, a22);
            a23 = b.fma(k3, a23);
            b = FloatVector.broadcast(S, q[qo + 3 * d + x]);
            a30 = b.fma(k0, a30);
            a31 = b.fma(k1, a31);
            a32 = b.fma(k2, a32);
            a33 = b.fma(k3, a33);
        }
        a00.intoArray(tile, t);
        a01.intoArray(tile, t + L);
        a02.intoArray(tile, t + 2 * L);
        a03.intoArray(tile, t + 3 * L);
        t += stride;
        a10.intoArray(tile, t);
        a11.intoArray(tile, t + L);
        a12.intoArray(tile, t + 2 * L);
        a13.intoArray(tile, t + 3 * L);
        t += stride;
        a20.intoArray(tile, t);
        a21.intoArray(tile, t + L);
        a22.intoArray(tile, t + 2 * L);
        a23.intoArray(tile, t + 3 * L);
        t += stride;
        a30.intoArray(tile, t);
        a31.intoArray(tile, t + L);
        a32.intoArray(tile, t + 2 * L);
        a33.intoArray(tile, t + 3 * L);
    }

    /** One query row × one vector of keys, of which the first {@code n} lanes are stored. */
    private static void dots1x1(float[] q, int qo, float[] keys, int ks, int kc, int d, float[] tile, int t, int n) {
        FloatVector a = FloatVector.zero(S);
        for (int x = 0; x < d; x++) {
            a = FloatVector.broadcast(S, q[qo + x]).fma(FloatVector.fromArray(S, keys, x * ks + kc), a);
        }
        if (n == L) {
            a.intoArray(tile, t);
        } else {
            a.intoArray(tile, t, S.indexInRange(0, n));
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

    /**
     * Values with rows {@code d + L} floats apart: with {@code d · 4} bytes a multiple of the cache's set stride
     * (d = 128: 512 bytes), the value rows of a tile would fall into a quarter of the L1 sets and evict each other.
     */
    @Override
    public float[] layoutValues(float[] v, int klen, int d) {
        int vs = valueStride(d);
        float[] values = new float[klen * vs];
        for (int j = 0; j < klen; j++) {
            System.arraycopy(v, j * d, values, j * vs, d);
        }
        return values;
    }

    private static int valueStride(int d) {
        return d + L;
    }

    /**
     * Register-blocked like {@link #dots}: four output rows × four vectors of {@code d}, each loaded value vector
     * shared by four rows, over the longest of the four rows' key counts (the others' weights are zero there).
     */
    @Override
    public void accumulate(float[] acc, float[] correction, int[] n, int rows, float[] p, int stride, float[] v,
                           int k0, int d) {
        int vs = valueStride(d);
        int x = 0;
        for (; x + 4 * L <= d; x += 4 * L) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                int keys = Math.max(Math.max(n[r], n[r + 1]), Math.max(n[r + 2], n[r + 3]));
                accumulate4x4(acc, r * d + x, correction, r, keys, p, r * stride, stride, v, k0 * vs + x, d, vs);
            }
            for (; r < rows; r++) {
                for (int j = 0; j < 4 * L; j += L) {
                    accumulate1x1(acc, r * d + x + j, correction[r], n[r], p, r * stride, v, k0 * vs + x + j, vs);
                }
            }
        }
        for (; x + L <= d; x += L) {
            for (int r = 0; r < rows; r++) {
                accumulate1x1(acc, r * d + x, correction[r], n[r], p, r * stride, v, k0 * vs + x, vs);
            }
        }
        for (; x < d; x++) {
            for (int r = 0; r < rows; r++) {
                float a = acc[r * d + x] * correction[r];
                for (int c = 0; c < n[r]; c++) {
                    a = Math.fma(p[r * stride + c], v[(k0 + c) * vs + x], a);
                }
                acc[r * d + x] = a;
            }
        }
    }

    private static void accumulate4x4(float[] acc, int ao, float[] correction, int r, int keys, float[] p, int po,
                                      int stride, float[] v, int vo, int d, int vs) {
        int a1o = ao + d;
        int a2o = a1o + d;
        int a3o = a2o + d;
        FloatVector a00 = FloatVector.fromArray(S, acc, ao).mul(correction[r]);
        FloatVector a01 = FloatVector.fromArray(S, acc, ao + L).mul(correction[r]);
        FloatVector a02 = FloatVector.fromArray(S, acc, ao + 2 * L).mul(correction[r]);
        FloatVector a03 = FloatVector.fromArray(S, acc, ao + 3 * L).mul(correction[r]);
        FloatVector a10 = FloatVector.fromArray(S, acc, a1o).mul(correction[r + 1]);
        FloatVector a11 = FloatVector.fromArray(S, acc, a1o + L).mul(correction[r + 1]);
        FloatVector a12 = FloatVector.fromArray(S, acc, a1o + 2 * L).mul(correction[r + 1]);
        FloatVector a13 = FloatVector.fromArray(S, acc, a1o + 3 * L).mul(correction[r + 1]);
        FloatVector a20 = FloatVector.fromArray(S, acc, a2o).mul(correction[r + 2]);
        FloatVector a21 = FloatVector.fromArray(S, acc, a2o + L).mul(correction[r + 2]);
        FloatVector a22 = FloatVector.fromArray(S, acc, a2o + 2 * L).mul(correction[r + 2]);
        FloatVector a23 = FloatVector.fromArray(S, acc, a2o + 3 * L).mul(correction[r + 2]);
        FloatVector a30 = FloatVector.fromArray(S, acc, a3o).mul(correction[r + 3]);
        FloatVector a31 = FloatVector.fromArray(S, acc, a3o + L).mul(correction[r + 3]);
        FloatVector a32 = FloatVector.fromArray(S, acc, a3o + 2 * L).mul(correction[r + 3]);
        FloatVector a33 = FloatVector.fromArray(S, acc, a3o + 3 * L).mul(correction[r + 3]);
        for (int c = 0; c < keys; c++) {
            int o = vo + c * vs;
            FloatVector v0 = FloatVector.fromArray(S, v, o);
            FloatVector v1 = FloatVector.fromArray(S, v, o + L);
            FloatVector v2 = FloatVector.fromArray(S, v, o + 2 * L);
            FloatVector v3 = FloatVector.fromArray(S, v, o + 3 * L);
            FloatVector w = FloatVector.broadcast(S, p[po + c]);
            a00 = w.fma(v0, a00);
            a01 = w.fma(v1, a01);
            a02 = w.fma(v2, a02);
            a03 = w.fma(v3, a03);
            w = FloatVector.broadcast(S, p[po + stride + c]);
            a10 = w.fma(v0, a10);
            a11 = w.fma(v1, a11);
            a12 = w.fma(v2, a12);
            a13 = w.fma(v3, a13);
            w = FloatVector.broadcast(S, p[po + 2 * stride + c]);
            a20 = w.fma(v0, a20);
            a21 = w.fma(v1, a21);
            a22 = w.fma(v2, a22);
            a23 = w.fma(v3, a23);
            w = FloatVector.broadcast(S, p[po + 3 * stride + c]);
            a30 = w.fma(v0, a30);
            a31 = w.fma(v1, a31);
            a32 = w.fma(v2, a32);
            a33 = w.fma(v3, a33);
        }
        a00.intoArray(acc, ao);
        a01.intoArray(acc, ao + L);
        a02.intoArray(acc, ao + 2 * L);
        a03.intoArray(acc, ao + 3 * L);
        a10.intoArray(acc, a1o);
        a11.intoArray(acc, a1o + L);
        a12.intoArray(acc, a1o + 2 * L);
        a13.intoArray(acc, a1o + 3 * L);
        a20.intoArray(acc, a2o);
        a21.intoArray(acc, a2o + L);
        a22.intoArray(acc, a2o + 2 * L);
        a23.intoArray(acc, a2o + 3 * L);
        a30.intoArray(acc, a3o);
        a31.intoArray(acc, a3o + L);
        a32.intoArray(acc, a3o + 2 * L);
        a33.intoArray(acc, a3o + 3 * L);
    }

    private static void accumulate1x1(float[] acc, int ao, float correction, int keys, float[] p, int po, float[] v,
                                      int vo, int vs) {
        FloatVector a = FloatVector.fromArray(S, acc, ao).mul(correction);
        for (int c = 0; c < keys; c++) {
            a = FloatVector.broadcast(S, p[po + c]).fma(FloatVector.fromArray(S, v, vo + c * vs), a);
        }
        a.intoArray(acc, ao);
    }
}
