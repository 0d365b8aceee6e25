package dev.posenc.logits;

import java.util.Objects;

/**
 * Shaw et al. 2018 (arXiv:1803.02155, eq. 3) on the values:
 * <pre>
 * z_i = Σ_j α_ij (v_j + a^V_ij),   a^V_ij = w^V[clip(j − i, −k, k) + k]
 * </pre>
 * with {@code w^V} shared by all heads.
 *
 * @param maxRelativePosition the clipping distance {@code k >= 0}
 * @param headDim {@code d}
 * @param valueTable {@code w^V}: {@code (2k + 1) × headDim} (copied)
 */
public record ShawRelativeValues(int maxRelativePosition, int headDim, float[] valueTable)
        implements RelativeValueEncoding {
    public ShawRelativeValues {
        Objects.requireNonNull(valueTable, "valueTable");
        ShawDistance.checkTable("w^V", maxRelativePosition, headDim, valueTable);
        valueTable = valueTable.clone();
    }

    @Override
    public float[] valueTable() {
        return valueTable.clone();
    }

    @Override
    public void checkAttention(int numHeads, int headDim) {
        ShawDistance.checkHeadDim(this.headDim, headDim);
    }

    @Override
    public int numRelativePositions() {
        return 2 * maxRelativePosition + 1;
    }

    @Override
    public int relativeIndex(int queryPosition, int keyPosition) {
        return ShawDistance.index(queryPosition, keyPosition, maxRelativePosition);
    }

    @Override
    public void addScaled(int head, int index, double weight, float[] out, int offset) {
        Objects.requireNonNull(out, "out");
        for (int c = 0; c < headDim; c++) {
            out[offset + c] += (float) (weight * valueTable[index * headDim + c]);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShawRelativeValues that && maxRelativePosition == that.maxRelativePosition
                && headDim == that.headDim && java.util.Arrays.equals(valueTable, that.valueTable);
    }

    @Override
    public int hashCode() {
        return (31 * maxRelativePosition + headDim) * 31 + java.util.Arrays.hashCode(valueTable);
    }

    @Override
    public String toString() {
        return "ShawRelativeValues[k=" + maxRelativePosition + ", headDim=" + headDim + "]";
    }
}
