package dev.posenc.logits;

import dev.posenc.input.SinusoidLayout;
import dev.posenc.input.SinusoidalPositions;
import java.util.Arrays;
import java.util.Objects;

/**
 * Transformer-XL's relative attention (Dai et al. 2019, arXiv:1901.02860, §3.3), as XLNet uses it (Hugging Face
 * {@code models/xlnet/modeling_xlnet.py}, {@code XLNetRelativeAttention.rel_attn_core}):
 * <pre>
 * a_ij = (q_i + u)·k_j + (q_i + v)·W_R R_{i−j}
 * </pre>
 * where {@code R_δ} is the concatenated sinusoid ({@link SinusoidLayout#CONCATENATED}, base 10000, size
 * {@code dModel}) of the distance {@code δ = i − j}, {@code W_R} projects it to each head ({@code r_net} /
 * XLNet's {@code r}), and {@code u} ({@code r_w_bias}) and {@code v} ({@code r_r_bias}) are learned per head. The
 * whole sum is then multiplied by the attention's {@code 1/√d}.
 *
 * <p>The reference path computes the position term {@code BD} the way XLNet does: for every query against every
 * distance of a descending list, then the relative shift {@code rel_shift_bnij} lines distances up with keys. The
 * streaming path evaluates {@code (q_i + v)·W_R R_{i−j}} directly per pair from a table of {@code W_R R_δ}.
 *
 * @param numHeads heads
 * @param headDim {@code d}
 * @param dModel the sinusoid size
 * @param contentBias {@code u}, {@code numHeads × headDim} (copied)
 * @param positionBias {@code v}, {@code numHeads × headDim} (copied)
 * @param positionProjection {@code W_R} as a {@code Linear(dModel, numHeads·headDim)} weight:
 *     {@code (numHeads·headDim) × dModel} (copied)
 */
public record TransformerXlRelative(int numHeads, int headDim, int dModel, float[] contentBias, float[] positionBias,
                                    float[] positionProjection) implements RelativeLogitTerm {
    public TransformerXlRelative {
        Objects.requireNonNull(contentBias, "contentBias");
        Objects.requireNonNull(positionBias, "positionBias");
        Objects.requireNonNull(positionProjection, "positionProjection");
        if (numHeads < 1 || headDim < 1 || dModel < 2 || dModel % 2 != 0) {
            throw new IllegalArgumentException("Transformer-XL needs heads >= 1, head_dim >= 1 and an even d_model, got "
                    + numHeads + ", " + headDim + ", " + dModel);
        }
        long heads = (long) numHeads * headDim;
        contentBias = copy("r_w_bias", contentBias, heads);
        positionBias = copy("r_r_bias", positionBias, heads);
        positionProjection = copy("r_net weight", positionProjection, heads * dModel);
    }

    private static float[] copy(String name, float[] values, long size) {
        if (values.length != size) {
            throw new IllegalArgumentException(name + " must have " + size + " values, got "
                    + values.length);
        }
        return values.clone();
    }

    @Override
    public float[] contentBias() {
        return contentBias.clone();
    }

    @Override
    public float[] positionBias() {
        return positionBias.clone();
    }

    @Override
    public float[] positionProjection() {
        return positionProjection.clone();
    }

    @Override
    public void checkAttention(int numHeads, int headDim, boolean causal) {
        if (numHeads != this.numHeads || headDim != this.headDim) {
            throw new IllegalArgumentException("Transformer-XL's parameters are for " + this.numHeads + " heads of "
                    + this.headDim + " but the attention has " + numHeads + " heads of " + headDim);
        }
    }

    /** {@code W_R R_δ} for one head, in double. */
    private double[] projectedDistance(int head, long distance, double[] sinusoid) {
        new SinusoidalPositions(dModel, SinusoidalPositions.DEFAULT_BASE, SinusoidLayout.CONCATENATED)
                .write(distance, sinusoid, 0);
        double[] out = new double[headDim];
        for (int x = 0; x < headDim; x++) {
            int row = (head * headDim + x) * dModel;
            double sum = 0;
            for (int c = 0; c < dModel; c++) {
                sum += positionProjection[row + c] * sinusoid[c];
            }
            out[x] = sum;
        }
        return out;
    }

    /**
     * Reference: {@code AC = (q + u)·k} minus {@code q·k} (the attention adds that), plus {@code BD} over the
     * distances {@code off + qlen, off + qlen − 1, …, off − klen + 1} (XLNet's {@code beg = klen, end = −qlen} when
     * {@code off = klen − qlen}), relatively shifted.
     */
    @Override
    public void addToScores(int head, float[] queries, float[] keys, AttentionPositions positions, double[] scores) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(positions, "positions");
        Objects.requireNonNull(scores, "scores");
        int qlen = positions.queryLength();
        int klen = positions.keyLength();
        int width = klen + qlen;
        double[] sinusoid = new double[dModel];
        double[][] rk = new double[width][];
        for (int m = 0; m < width; m++) {
            rk[m] = projectedDistance(head, (long) positions.firstQueryPosition() + qlen - m, sinusoid);
        }
        double[] bd = new double[qlen * width];
        for (int i = 0; i < qlen; i++) {
            for (int m = 0; m < width; m++) {
                double sum = 0;
                for (int x = 0; x < headDim; x++) {
                    sum += ((double) queries[i * headDim + x] + positionBias[head * headDim + x]) * rk[m][x];
                }
                bd[i * width + m] = sum;
            }
        }
        double[] shifted = relShift(bd, qlen, width, klen);
        for (int j = 0; j < klen; j++) {
            double uk = Dot.of(contentBias, head * headDim, keys, j * headDim, headDim);
            for (int i = 0; i < qlen; i++) {
                scores[i * klen + j] += uk + shifted[i * klen + j];
            }
        }
    }

    /**
     * XLNet's {@code rel_shift_bnij} on one {@code qlen × width} matrix: view it as {@code width × qlen}, drop the
     * first row, view the rest as {@code qlen × (width − 1)} and keep the first {@code klen} columns.
     */
    static double[] relShift(double[] x, int qlen, int width, int klen) {
        double[] out = new double[qlen * klen];
        for (int i = 0; i < qlen; i++) {
            for (int j = 0; j < klen; j++) {
                out[i * klen + j] = x[qlen + i * (width - 1) + j];
            }
        }
        return out;
    }

    /** Streaming: tables of {@code W_R R_δ} for the call's distances, {@code q + v} and {@code u·k}; O(d) per pair. */
    @Override
    public PreparedTerm prepare(int head, float[] queries, float[] keys, AttentionPositions positions) {
        Objects.requireNonNull(queries, "queries");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(positions, "positions");
        int qlen = positions.queryLength();
        int klen = positions.keyLength();
        int minDistance = -positions.maxRelativePosition();
        int distances = qlen + klen - 1;
        float[] rk = new float[distances * headDim];
        double[] sinusoid = new double[dModel];
        for (int t = 0; t < distances; t++) {
            double[] row = projectedDistance(head, minDistance + t, sinusoid);
            for (int x = 0; x < headDim; x++) {
                rk[t * headDim + x] = (float) row[x];
            }
        }
        float[] qv = new float[qlen * headDim];
        for (int i = 0; i < qlen; i++) {
            for (int x = 0; x < headDim; x++) {
                qv[i * headDim + x] = queries[i * headDim + x] + positionBias[head * headDim + x];
            }
        }
        float[] uk = new float[klen];
        for (int j = 0; j < klen; j++) {
            uk[j] = Dot.ofFloat(contentBias, head * headDim, keys, j * headDim, headDim);
        }
        return (q0, q1, k0, k1, tile, stride) -> {
            Objects.requireNonNull(tile, "tile");
            for (int i = q0; i < q1; i++) {
                int pos = positions.queryPosition(i);
                for (int j = k0; j < k1; j++) {
                    int t = pos - j - minDistance;
                    tile[(i - q0) * stride + (j - k0)] += uk[j] + Dot.ofFloat(qv, i * headDim, rk, t * headDim, headDim);
                }
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransformerXlRelative that && numHeads == that.numHeads && headDim == that.headDim
                && dModel == that.dModel && Arrays.equals(contentBias, that.contentBias)
                && Arrays.equals(positionBias, that.positionBias)
                && Arrays.equals(positionProjection, that.positionProjection);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {numHeads, headDim, dModel, Arrays.hashCode(contentBias),
            Arrays.hashCode(positionBias), Arrays.hashCode(positionProjection)});
    }

    @Override
    public String toString() {
        return "TransformerXlRelative[numHeads=" + numHeads + ", headDim=" + headDim + ", dModel=" + dModel + "]";
    }
}
