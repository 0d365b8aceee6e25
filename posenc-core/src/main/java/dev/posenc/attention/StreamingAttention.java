package dev.posenc.attention;

import dev.posenc.logits.AttentionPositions;
import dev.posenc.logits.PositionBias;
import dev.posenc.logits.RelativeLogitTerm;
import dev.posenc.logits.RelativeValueEncoding;
import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming attention: the same function as {@link ReferenceAttention}, computed tile by tile with an online
 * softmax (Milakov and Gimelshein 2018; FlashAttention, Dao et al. 2022, Algorithm 1) so that it never holds more
 * than one {@code blockQueries × blockKeys} tile of scores. Memory is {@code O(S · d)}: a copy of one head's
 * queries, keys and values (plus keys and values in the layout the tile operations read: keys transposed and value
 * rows padded for the Vector API ones), per-call tables of position biases by relative position, and the tile.
 *
 * <p>Position biases are computed on the fly: those that depend on {@code j − i} only (ALiBi, T5, KERPLE) are
 * tabulated once per relative position and added to a score row as a contiguous slice; the others (FIRE, BLOOM's
 * key-position ALiBi) are evaluated per pair. Content-dependent terms (Shaw, Transformer-XL, DeBERTa) come from
 * their {@link RelativeLogitTerm#prepare prepared} tables, per tile. Relative value vectors (Shaw) are accumulated
 * as attention mass per relative index, rescaled with the running maximum like the output.
 *
 * <p>Implementation overview. For each key/value head {@code g} the keys and values are copied contiguous (and
 * keys encoded by the query/key encoding); for each query head of the group and each block of queries the kernel
 * keeps the running maximum {@code m}, the running sum {@code l} and the unnormalised output {@code acc} per row.
 * For each key block: {@code s = scale · (q·k + t) + b}; for each row, over its visible prefix (the causal mask is a
 * prefix because keys are in position order), {@code m' = max(m, max s)}, {@code p = exp(s − m')},
 * {@code l = l·e^{m−m'} + Σp}; then, for all rows of the block at once, {@code acc = acc·e^{m−m'} + p·V}, with the
 * masked weights of each row set to zero so that the tile operations can share each loaded value row between query
 * rows (register blocking). Finally {@code z = acc / l}. Key blocks beyond the last query's position are skipped
 * when causal. Immutable and thread-safe; scratch is allocated per call.
 */
public final class StreamingAttention implements AttentionKernel {
    /** Queries per tile. */
    static final int BLOCK_QUERIES = 32;
    /** Keys per tile. */
    static final int BLOCK_KEYS = 128;

    private final AttentionSpec spec;
    private final AttentionEncodings encodings;
    private final TileOps ops;

    public StreamingAttention(AttentionSpec spec, AttentionEncodings encodings) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(encodings, "encodings");
        this(spec, encodings, TileOps.best());
    }

    StreamingAttention(AttentionSpec spec, AttentionEncodings encodings, TileOps ops) {
        this.encodings = AttentionEncodings.checkKernel(spec, encodings);
        this.spec = spec;
        this.ops = ops;
    }

    /** The scalar version of this kernel (the oracle for the Vector API one). */
    StreamingAttention scalar() {
        return new StreamingAttention(spec, encodings, ScalarTileOps.INSTANCE);
    }

    /** Whether this kernel uses the Vector API. */
    public boolean vectorized() {
        return !(ops instanceof ScalarTileOps);
    }

    @Override
    public AttentionSpec spec() {
        return spec;
    }

    @Override
    public float[] attend(AttentionInputs inputs) {
        Objects.requireNonNull(inputs, "inputs");
        inputs.checkShape(spec);
        AttentionPositions positions = inputs.positions();
        int qlen = positions.queryLength();
        int klen = positions.keyLength();
        int d = spec.headDim();
        float[] out = new float[qlen * spec.numHeads() * d];
        for (int g = 0; g < spec.numKeyValueHeads(); g++) {
            float[] k = AttentionInputs.head(inputs.keys(), klen, spec.numKeyValueHeads(), d, g);
            float[] v = AttentionInputs.head(inputs.values(), klen, spec.numKeyValueHeads(), d, g);
            if (encodings.queryKey() != null) {
                encodings.queryKey().encodeKeys(k, klen, 1, d, 0);
            }
            float[] keys = ops.layoutKeys(k, klen, d);
            float[] values = ops.layoutValues(v, klen, d);
            for (int h = g * spec.groupSize(); h < (g + 1) * spec.groupSize(); h++) {
                float[] q = AttentionInputs.head(inputs.queries(), qlen, spec.numHeads(), d, h);
                if (encodings.queryKey() != null) {
                    encodings.queryKey().encodeQueries(q, qlen, 1, d, positions.firstQueryPosition());
                }
                new HeadPass(h, q, k, keys, values, positions, out).run();
            }
        }
        return out;
    }

    /** One head of one call: the per-call tables and the tile loop. */
    private final class HeadPass {
        private final int head;
        private final float[] q;
        private final float[] k;
        private final float[] keys;
        private final float[] v;
        private final AttentionPositions positions;
        private final float[] out;
        private final int d = spec.headDim();
        private final float scale = (float) spec.softmaxScale();
        private final RelativeLogitTerm.PreparedTerm term;
        private final PositionBias bias;
        private final float[] biasByRelative;
        private final int minRelative;
        private final RelativeValueEncoding values;
        private final int relativeValues;

        HeadPass(int head, float[] q, float[] k, float[] keys, float[] v, AttentionPositions positions, float[] out) {
            this.head = head;
            this.q = q;
            this.k = k;
            this.keys = keys;
            this.v = v;
            this.positions = positions;
            this.out = out;
            this.term = encodings.logitTerm() == null ? null : encodings.logitTerm().prepare(head, q, k, positions);
            this.bias = encodings.bias();
            this.minRelative = positions.minRelativePosition();
            this.biasByRelative = bias != null && bias.relativeOnly() ? tabulate(bias) : null;
            this.values = encodings.values();
            this.relativeValues = values == null ? 0 : values.numRelativePositions();
        }

        /** {@code b(j − i)} for every relative position of the call. */
        private float[] tabulate(PositionBias bias) {
            float[] table = new float[positions.maxRelativePosition() - minRelative + 1];
            for (int t = 0; t < table.length; t++) {
                int keyMinusQuery = minRelative + t;
                table[t] = (float) bias.bias(head, Math.max(0, -keyMinusQuery), Math.max(0, keyMinusQuery));
            }
            return table;
        }

        void run() {
            int qlen = positions.queryLength();
            float[] tile = new float[BLOCK_QUERIES * BLOCK_KEYS];
            float[] max = new float[BLOCK_QUERIES];
            float[] sum = new float[BLOCK_QUERIES];
            float[] acc = new float[BLOCK_QUERIES * d];
            float[] mass = new float[BLOCK_QUERIES * relativeValues];
            float[] correction = new float[BLOCK_QUERIES];
            int[] visible = new int[BLOCK_QUERIES];
            for (int q0 = 0; q0 < qlen; q0 += BLOCK_QUERIES) {
                int rows = Math.min(BLOCK_QUERIES, qlen - q0);
                Arrays.fill(max, Float.NEGATIVE_INFINITY);
                Arrays.fill(sum, 0f);
                Arrays.fill(acc, 0f);
                Arrays.fill(mass, 0f);
                int keyEnd = spec.causal()
                        ? Math.min(positions.keyLength(), positions.queryPosition(q0 + rows - 1) + 1)
                        : positions.keyLength();
                for (int k0 = 0; k0 < keyEnd; k0 += BLOCK_KEYS) {
                    int cols = Math.min(BLOCK_KEYS, keyEnd - k0);
                    block(q0, rows, k0, cols, tile, max, sum, acc, mass, correction, visible);
                }
                finish(q0, rows, sum, acc, mass);
            }
        }

        private void block(int q0, int rows, int k0, int cols, float[] tile, float[] max, float[] sum, float[] acc,
                           float[] mass, float[] correction, int[] visible) {
            ops.dots(q, q0, rows, keys, k0, cols, d, tile, BLOCK_KEYS);
            if (term != null) {
                term.addToTile(q0, q0 + rows, k0, k0 + cols, tile, BLOCK_KEYS);
            }
            for (int r = 0; r < rows; r++) {
                int pos = positions.queryPosition(q0 + r);
                int row = r * BLOCK_KEYS;
                int seen = spec.causal() ? Math.max(0, Math.min(cols, pos - k0 + 1)) : cols;
                visible[r] = seen;
                // masked weights are zero: accumulate may share value loads across rows up to the longest row
                Arrays.fill(tile, row + seen, row + cols, 0f);
                if (seen == 0) {
                    correction[r] = 1f;
                    continue;
                }
                if (biasByRelative != null) {
                    ops.scaleAdd(tile, row, seen, scale, biasByRelative, k0 - pos - minRelative);
                } else if (bias != null) {
                    for (int c = 0; c < seen; c++) {
                        tile[row + c] = Math.fma(tile[row + c], scale, (float) bias.bias(head, pos, k0 + c));
                    }
                } else {
                    ops.scale(tile, row, seen, scale);
                }
                float newMax = Math.max(max[r], ops.max(tile, row, seen));
                float rescale = max[r] == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(max[r] - newMax);
                correction[r] = rescale;
                float blockSum = ops.expSum(tile, row, seen, newMax);
                sum[r] = sum[r] * rescale + blockSum;
                if (relativeValues > 0) {
                    int m0 = r * relativeValues;
                    for (int t = 0; t < relativeValues; t++) {
                        mass[m0 + t] *= rescale;
                    }
                    for (int c = 0; c < seen; c++) {
                        mass[m0 + values.relativeIndex(pos, k0 + c)] += tile[row + c];
                    }
                }
                max[r] = newMax;
            }
            ops.accumulate(acc, correction, visible, rows, tile, BLOCK_KEYS, v, k0, d);
        }

        private void finish(int q0, int rows, float[] sum, float[] acc, float[] mass) {
            for (int r = 0; r < rows; r++) {
                int at = ((q0 + r) * spec.numHeads() + head) * d;
                float inverse = 1f / sum[r];
                for (int x = 0; x < d; x++) {
                    out[at + x] = acc[r * d + x] * inverse;
                }
                for (int t = 0; t < relativeValues; t++) {
                    float weight = mass[r * relativeValues + t];
                    if (weight != 0f) {
                        values.addScaled(head, t, weight * inverse, out, at);
                    }
                }
            }
        }
    }
}
