package dev.posenc.logits;

import java.util.Arrays;
import java.util.Objects;

/**
 * KERPLE (Chi et al. 2022, "KERPLE: Kernelized Relative Positional Embedding for Length Extrapolation",
 * arXiv:2205.09921, §4): a bias from a conditionally positive definite kernel of the distance, with two learned
 * positive parameters per head:
 * <pre>
 * log:   b_h(i, j) = −r1_h · ln(1 + r2_h · |i − j|)
 * power: b_h(i, j) = −r1_h · |i − j|^r2_h,   0 &lt; r2_h &lt;= 2
 * </pre>
 * (the GPT-NeoX fork's {@code ParallelKerpleLog}: {@code −bias_p · log(1 + bias_a · |i − j|)}).
 *
 * @param kind log or power
 * @param r1 per-head scale {@code r1_h > 0} (copied)
 * @param r2 per-head {@code r2_h > 0} (copied)
 */
public record KerpleBias(Kind kind, double[] r1, double[] r2) implements PositionBias {
    /** The two kernels of the paper. */
    public enum Kind {
        LOG,
        POWER
    }

    public KerpleBias {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(r1, "r1");
        Objects.requireNonNull(r2, "r2");
        if (r1.length == 0 || r1.length != r2.length) {
            throw new IllegalArgumentException("KERPLE needs r1 and r2 for the same, non-zero number of heads");
        }
        r1 = r1.clone();
        r2 = r2.clone();
        for (int h = 0; h < r1.length; h++) {
            if (!(r1[h] > 0) || Double.isInfinite(r1[h]) || !(r2[h] > 0) || Double.isInfinite(r2[h])) {
                throw new IllegalArgumentException("KERPLE r1 and r2 of head " + h + " must be finite and > 0, got "
                        + r1[h] + ", " + r2[h]);
            }
            if (kind == Kind.POWER && r2[h] > 2) {
                throw new IllegalArgumentException("KERPLE power r2 of head " + h + " must be <= 2, got " + r2[h]);
            }
        }
    }

    @Override
    public double[] r1() {
        return r1.clone();
    }

    @Override
    public double[] r2() {
        return r2.clone();
    }

    @Override
    public int numHeads() {
        return r1.length;
    }

    @Override
    public double bias(int head, int queryPosition, int keyPosition) {
        double distance = Math.abs((double) queryPosition - keyPosition);
        return switch (kind) {
            case LOG -> -r1[head] * Math.log1p(r2[head] * distance);
            case POWER -> -r1[head] * Math.pow(distance, r2[head]);
        };
    }

    @Override
    public boolean relativeOnly() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerpleBias that && kind == that.kind && Arrays.equals(r1, that.r1) && Arrays.equals(r2, that.r2);
    }

    @Override
    public int hashCode() {
        return (31 * kind.hashCode() + Arrays.hashCode(r1)) * 31 + Arrays.hashCode(r2);
    }

    @Override
    public String toString() {
        return "KerpleBias[kind=" + kind + ", r1=" + Arrays.toString(r1) + ", r2=" + Arrays.toString(r2) + "]";
    }
}
