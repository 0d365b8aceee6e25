package dev.posenc.logits;

import java.util.Arrays;
import java.util.Objects;

/**
 * FIRE, functional interpolation for relative positions (Li et al. 2024, arXiv:2310.04418, eq. 4-6): a small MLP
 * of the progressively interpolated distance,
 * <pre>
 * ψ(x) = ln(|c·x| + 1)
 * b(i, j) = MLP( ψ(i − j) / (ψ(max(i, L)) + ε) ),   MLP: 1 → width (ReLU) → numHeads
 * </pre>
 * with {@code c} and the threshold {@code L} learned, as in the reference implementation the paper's authors
 * published (reproduced in mcleish7/arithmetic {@code cramming/architectures/embeddings.py} {@code FIRE}):
 * {@code L = |L_multiplier · init_L|}, {@code ε = 1e-6}. It depends on the query position through the
 * normaliser, so it is not a function of {@code i − j} alone.
 *
 * @param numHeads output heads
 * @param hiddenWeight first layer weights, {@code width} values (copied)
 * @param hiddenBias first layer biases, {@code width} values (copied)
 * @param outputWeight second layer weights, {@code numHeads × width} (copied)
 * @param outputBias second layer biases, {@code numHeads} values (copied)
 * @param c the log-transform scale {@code c}
 * @param threshold the normaliser's threshold {@code L >= 0}
 */
public record FireBias(int numHeads, float[] hiddenWeight, float[] hiddenBias, float[] outputWeight,
                       float[] outputBias, double c, double threshold) implements PositionBias {
    /** The reference implementation's {@code eps}. */
    public static final double EPS = 1e-6;

    public FireBias {
        Objects.requireNonNull(hiddenWeight, "hiddenWeight");
        Objects.requireNonNull(hiddenBias, "hiddenBias");
        Objects.requireNonNull(outputWeight, "outputWeight");
        Objects.requireNonNull(outputBias, "outputBias");
        if (numHeads < 1 || hiddenWeight.length == 0) {
            throw new IllegalArgumentException("FIRE needs at least one head and one hidden unit");
        }
        int width = hiddenWeight.length;
        if (hiddenBias.length != width
                || outputWeight.length != (long) numHeads * width || outputBias.length != numHeads) {
            throw new IllegalArgumentException("FIRE's MLP must be 1 -> " + width + " -> " + numHeads
                    + " (hidden bias " + width + ", output weight " + numHeads * width + ", output bias " + numHeads + ")");
        }
        hiddenWeight = hiddenWeight.clone();
        hiddenBias = hiddenBias.clone();
        outputWeight = outputWeight.clone();
        outputBias = outputBias.clone();
        if (!Double.isFinite(c) || !(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("FIRE's c must be finite and its threshold L finite and >= 0, got c="
                    + c + ", L=" + threshold);
        }
    }

    @Override
    public float[] hiddenWeight() {
        return hiddenWeight.clone();
    }

    @Override
    public float[] hiddenBias() {
        return hiddenBias.clone();
    }

    @Override
    public float[] outputWeight() {
        return outputWeight.clone();
    }

    @Override
    public float[] outputBias() {
        return outputBias.clone();
    }

    /** The MLP's input {@code ψ(i − j) / (ψ(max(i, L)) + ε)}. */
    public double normalizedDistance(int queryPosition, int keyPosition) {
        double distance = Math.log(Math.abs(c * ((double) queryPosition - keyPosition)) + 1);
        double normalizer = Math.log(Math.abs(c * Math.max(queryPosition, threshold)) + 1);
        return distance / (normalizer + EPS);
    }

    @Override
    public double bias(int head, int queryPosition, int keyPosition) {
        double x = normalizedDistance(queryPosition, keyPosition);
        int width = hiddenWeight.length;
        double out = outputBias[head];
        for (int u = 0; u < width; u++) {
            double hidden = hiddenWeight[u] * x + hiddenBias[u];
            if (hidden > 0) {
                out += outputWeight[head * width + u] * hidden;
            }
        }
        return out;
    }

    @Override
    public boolean relativeOnly() {
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FireBias that && numHeads == that.numHeads && Arrays.equals(hiddenWeight, that.hiddenWeight)
                && Arrays.equals(hiddenBias, that.hiddenBias) && Arrays.equals(outputWeight, that.outputWeight)
                && Arrays.equals(outputBias, that.outputBias) && Double.compare(c, that.c) == 0
                && Double.compare(threshold, that.threshold) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {numHeads, Arrays.hashCode(hiddenWeight), Arrays.hashCode(outputWeight), c, threshold});
    }

    @Override
    public String toString() {
        return "FireBias[numHeads=" + numHeads + ", width=" + hiddenWeight.length + ", c=" + c + ", L=" + threshold + "]";
    }
}
