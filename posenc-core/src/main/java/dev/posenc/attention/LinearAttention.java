package dev.posenc.attention;

import dev.posenc.logits.AttentionPositions;
import java.util.Objects;

/**
 * Linear attention (Katharopoulos et al. 2020, arXiv:2006.16236) with a query/key encoding applied, as RoFormer
 * proposes for RoPE (Su et al. 2021, arXiv:2104.09864, §3.3, eq. 19), to the feature-mapped queries and keys in the
 * numerator only:
 * <pre>
 * z_i = Σ_j (R_i φ(q_i))·(R_j φ(k_j)) v_j  /  Σ_j φ(q_i)·φ(k_j),     φ(x) = elu(x) + 1
 * </pre>
 * with {@code j <= pos(i)} when causal. The denominator stays unrotated so that it remains positive; the rotated
 * numerator can be negative, as the paper notes. {@link #attend} costs {@code O(S · d²)} with running sums of
 * {@code R_j φ(k_j) ⊗ v_j} and {@code φ(k_j)}; {@link #attendDirect} is the {@code O(S² · d)} definition it is
 * tested against. Without an encoding it is plain linear attention. Immutable and thread-safe.
 */
public final class LinearAttention {
    private final AttentionSpec spec;
    private final QueryKeyEncoding encoding;

    /**
     * @param spec heads, head size and mask; the softmax scale is not used
     * @param encoding the numerator's query/key encoding (RoPE), or null for none
     */
    public LinearAttention(AttentionSpec spec, QueryKeyEncoding encoding) {
        Objects.requireNonNull(spec, "spec");
        if (encoding != null) {
            encoding.checkAttention(spec);
        }
        this.spec = spec;
        this.encoding = encoding;
    }

    public AttentionSpec spec() {
        return spec;
    }

    /** φ(x) = elu(x) + 1 = x + 1 for x > 0, e^x otherwise. */
    static float featureMap(float x) {
        return x > 0 ? x + 1 : (float) Math.exp(x);
    }

    /** The attention output, {@code queryLength × numHeads × headDim}, with running sums. */
    public float[] attend(AttentionInputs inputs) {
        Objects.requireNonNull(inputs, "inputs");
        inputs.checkShape(spec);
        AttentionPositions positions = inputs.positions();
        int qlen = positions.queryLength();
        int klen = positions.keyLength();
        int d = spec.headDim();
        float[] out = new float[qlen * spec.numHeads() * d];
        for (int h = 0; h < spec.numHeads(); h++) {
            Features f = features(inputs, h);
            double[] state = new double[d * d];
            double[] keySum = new double[d];
            int next = 0;
            if (!spec.causal()) {
                next = absorb(f, 0, klen, state, keySum, d);
            }
            for (int i = 0; i < qlen; i++) {
                if (spec.causal()) {
                    next = absorb(f, next, Math.min(klen, positions.queryPosition(i) + 1), state, keySum, d);
                }
                double denominator = 0;
                for (int x = 0; x < d; x++) {
                    denominator += f.q[i * d + x] * keySum[x];
                }
                int at = (i * spec.numHeads() + h) * d;
                for (int c = 0; c < d; c++) {
                    double numerator = 0;
                    for (int x = 0; x < d; x++) {
                        numerator += f.rotatedQ[i * d + x] * state[x * d + c];
                    }
                    out[at + c] = (float) (numerator / denominator);
                }
            }
        }
        return out;
    }

    /** Adds keys {@code [from, to)} to the running sums; returns {@code to}. */
    private static int absorb(Features f, int from, int to, double[] state, double[] keySum, int d) {
        for (int j = from; j < to; j++) {
            for (int x = 0; x < d; x++) {
                keySum[x] += f.k[j * d + x];
                double rk = f.rotatedK[j * d + x];
                for (int c = 0; c < d; c++) {
                    state[x * d + c] += rk * f.v[j * d + c];
                }
            }
        }
        return Math.max(from, to);
    }

    /** The definition, pair by pair: the reference for {@link #attend}. */
    float[] attendDirect(AttentionInputs inputs) {
        inputs.checkShape(spec);
        AttentionPositions positions = inputs.positions();
        int qlen = positions.queryLength();
        int klen = positions.keyLength();
        int d = spec.headDim();
        float[] out = new float[qlen * spec.numHeads() * d];
        for (int h = 0; h < spec.numHeads(); h++) {
            Features f = features(inputs, h);
            for (int i = 0; i < qlen; i++) {
                int last = spec.causal() ? Math.min(klen - 1, positions.queryPosition(i)) : klen - 1;
                double denominator = 0;
                double[] numerator = new double[d];
                for (int j = 0; j <= last; j++) {
                    double weight = 0;
                    double plain = 0;
                    for (int x = 0; x < d; x++) {
                        weight += (double) f.rotatedQ[i * d + x] * f.rotatedK[j * d + x];
                        plain += (double) f.q[i * d + x] * f.k[j * d + x];
                    }
                    denominator += plain;
                    for (int c = 0; c < d; c++) {
                        numerator[c] += weight * f.v[j * d + c];
                    }
                }
                int at = (i * spec.numHeads() + h) * d;
                for (int c = 0; c < d; c++) {
                    out[at + c] = (float) (numerator[c] / denominator);
                }
            }
        }
        return out;
    }

    /** One head's φ(q), φ(k), their encoded copies, and v. */
    private record Features(float[] q, float[] k, float[] rotatedQ, float[] rotatedK, float[] v) {}

    private Features features(AttentionInputs inputs, int head) {
        AttentionPositions positions = inputs.positions();
        int qlen = positions.queryLength();
        int klen = positions.keyLength();
        int d = spec.headDim();
        int g = spec.keyValueHead(head);
        float[] q = AttentionInputs.head(inputs.queries(), qlen, spec.numHeads(), d, head);
        float[] k = AttentionInputs.head(inputs.keys(), klen, spec.numKeyValueHeads(), d, g);
        float[] v = AttentionInputs.head(inputs.values(), klen, spec.numKeyValueHeads(), d, g);
        for (int i = 0; i < q.length; i++) {
            q[i] = featureMap(q[i]);
        }
        for (int i = 0; i < k.length; i++) {
            k[i] = featureMap(k[i]);
        }
        float[] rq = q.clone();
        float[] rk = k.clone();
        if (encoding != null) {
            encoding.encodeQueries(rq, qlen, 1, d, positions.firstQueryPosition());
            encoding.encodeKeys(rk, klen, 1, d, 0);
        }
        return new Features(q, k, rq, rk, v);
    }
}
