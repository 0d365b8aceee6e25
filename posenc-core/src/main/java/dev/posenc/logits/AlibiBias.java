package dev.posenc.logits;

import java.util.Objects;

/**
 * ALiBi (Press et al. 2022, arXiv:2108.12409): a bias linear in distance with one slope per head, no position
 * vectors at all. Slopes come from {@link AlibiSlopes} (paper, BLOOM or MPT rule); the {@link AlibiForm} says how a
 * slope becomes a bias.
 *
 * @param slopes {@code m_h} per head (copied); finite and {@code >= 0}
 * @param form the bias form
 */
public record AlibiBias(double[] slopes, AlibiForm form) implements PositionBias {
    public AlibiBias {
        Objects.requireNonNull(slopes, "slopes");
        Objects.requireNonNull(form, "form");
        if (slopes.length == 0) {
            throw new IllegalArgumentException("ALiBi needs at least one slope");
        }
        slopes = slopes.clone();
        for (int h = 0; h < slopes.length; h++) {
            if (!(slopes[h] >= 0) || Double.isInfinite(slopes[h])) {
                throw new IllegalArgumentException("ALiBi slope of head " + h + " must be finite and >= 0, got " + slopes[h]);
            }
        }
    }

    /** The paper's slopes and causal form for {@code numHeads} heads. */
    public static AlibiBias causal(int numHeads) {
        return new AlibiBias(AlibiSlopes.paper(numHeads), AlibiForm.CAUSAL);
    }

    /** The paper's slopes in the symmetric form, for bidirectional attention. */
    public static AlibiBias symmetric(int numHeads) {
        return new AlibiBias(AlibiSlopes.paper(numHeads), AlibiForm.SYMMETRIC);
    }

    @Override
    public double[] slopes() {
        return slopes.clone();
    }

    @Override
    public int numHeads() {
        return slopes.length;
    }

    @Override
    public double bias(int head, int queryPosition, int keyPosition) {
        double m = slopes[head];
        return switch (form) {
            case CAUSAL -> -m * ((double) queryPosition - keyPosition);
            case SYMMETRIC -> -m * Math.abs((double) queryPosition - keyPosition);
            case KEY_POSITION -> m * keyPosition;
        };
    }

    @Override
    public boolean relativeOnly() {
        return form != AlibiForm.KEY_POSITION;
    }

    @Override
    public void checkAttention(boolean causal) {
        if (!causal && form != AlibiForm.SYMMETRIC) {
            throw new IllegalArgumentException("ALiBi's " + form.id() + " form rewards keys after the query in a "
                    + "bidirectional attention; use the symmetric form");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlibiBias that && java.util.Arrays.equals(slopes, that.slopes) && form == that.form;
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(slopes) + form.hashCode();
    }

    @Override
    public String toString() {
        return "AlibiBias[slopes=" + java.util.Arrays.toString(slopes) + ", form=" + form + "]";
    }
}
