package dev.posenc.attention;

import dev.posenc.logits.AttentionPositions;
import java.util.Objects;

/**
 * The reference attention: for each head it materialises all {@code queryLength × keyLength} scores in double
 * precision,
 * <pre>
 * a_ij = scale · (q_i·k_j + t_h(i, j)) + b_h(i, j),   masked to j &lt;= pos(i) when causal
 * z_i  = Σ_j softmax_j(a_ij) · (v_j + a^V_{r(i,j)})
 * </pre>
 * with the content term {@code t} computed the way its source computes it ({@link
 * dev.posenc.logits.RelativeLogitTerm#addToScores}). Obviously correct and {@code O(S²)} in memory; it is the oracle
 * that {@link StreamingAttention} is tested against. Immutable and thread-safe.
 */
public final class ReferenceAttention implements AttentionKernel {
    private final AttentionSpec spec;
    private final AttentionEncodings encodings;

    public ReferenceAttention(AttentionSpec spec, AttentionEncodings encodings) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(encodings, "encodings");
        this.encodings = AttentionEncodings.checkKernel(spec, encodings);
        this.spec = spec;
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
        int d = spec.headDim();
        float[] out = new float[qlen * spec.numHeads() * d];
        for (int h = 0; h < spec.numHeads(); h++) {
            double[] probabilities = probabilities(inputs, h);
            int g = spec.keyValueHead(h);
            float[] v = AttentionInputs.head(inputs.values(), positions.keyLength(), spec.numKeyValueHeads(), d, g);
            int klen = positions.keyLength();
            for (int i = 0; i < qlen; i++) {
                double[] z = new double[d];
                for (int j = 0; j < klen; j++) {
                    double p = probabilities[i * klen + j];
                    for (int c = 0; c < d; c++) {
                        z[c] += p * v[j * d + c];
                    }
                }
                int at = (i * spec.numHeads() + h) * d;
                for (int c = 0; c < d; c++) {
                    out[at + c] = (float) z[c];
                }
                if (encodings.values() != null) {
                    for (int j = 0; j < klen; j++) {
                        int r = encodings.values().relativeIndex(positions.queryPosition(i), j);
                        encodings.values().addScaled(h, r, probabilities[i * klen + j], out, at);
                    }
                }
            }
        }
        return out;
    }

    /** The attention probabilities of head {@code head}, {@code queryLength × keyLength}. */
    public double[] probabilities(AttentionInputs inputs, int head) {
        Objects.requireNonNull(inputs, "inputs");
        double[] scores = logits(inputs, head);
        AttentionPositions positions = inputs.positions();
        int klen = positions.keyLength();
        for (int i = 0; i < positions.queryLength(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < klen; j++) {
                max = Math.max(max, scores[i * klen + j]);
            }
            double sum = 0;
            for (int j = 0; j < klen; j++) {
                double e = Math.exp(scores[i * klen + j] - max);
                scores[i * klen + j] = e;
                sum += e;
            }
            for (int j = 0; j < klen; j++) {
                scores[i * klen + j] /= sum;
            }
        }
        return scores;
    }

    /** The masked logits {@code a_ij} of head {@code head} ({@code −∞} where masked), {@code queryLength × keyLength}. */
    public double[] logits(AttentionInputs inputs, int head) {
        Objects.requireNonNull(inputs, "inputs");
        inputs.checkShape(spec);
        AttentionPositions positions = inputs.positions();
        int qlen = positions.queryLength();
        int klen = positions.keyLength();
        int d = spec.headDim();
        float[] q = AttentionInputs.head(inputs.queries(), qlen, spec.numHeads(), d, head);
        float[] k = AttentionInputs.head(inputs.keys(), klen, spec.numKeyValueHeads(), d, spec.keyValueHead(head));
        if (encodings.queryKey() != null) {
            encodings.queryKey().encodeQueries(q, qlen, 1, d, positions.firstQueryPosition());
            encodings.queryKey().encodeKeys(k, klen, 1, d, 0);
        }
        double[] scores = new double[qlen * klen];
        for (int i = 0; i < qlen; i++) {
            for (int j = 0; j < klen; j++) {
                double sum = 0;
                for (int c = 0; c < d; c++) {
                    sum += (double) q[i * d + c] * k[j * d + c];
                }
                scores[i * klen + j] = sum;
            }
        }
        if (encodings.logitTerm() != null) {
            encodings.logitTerm().addToScores(head, q, k, positions, scores);
        }
        for (int i = 0; i < qlen; i++) {
            int pos = positions.queryPosition(i);
            for (int j = 0; j < klen; j++) {
                double a = spec.softmaxScale() * scores[i * klen + j];
                if (encodings.bias() != null) {
                    a += encodings.bias().bias(head, pos, j);
                }
                scores[i * klen + j] = spec.causal() && j > pos ? Double.NEGATIVE_INFINITY : a;
            }
        }
        return scores;
    }
}
