package dev.posenc.querykey;

/**
 * The numbers of a {@link RopeSpec} that the {@link RopeScaling} formulas read, without the spec's validation, so
 * that the spec can evaluate its own derived values while it is being built.
 */
record RopeGeometry(int headDim, int rotaryDim, double ropeTheta, int maxPositionEmbeddings) {

    /** The exponents {@code 2i/rotaryDim} in float32. */
    float[] exponents() {
        return TorchFloat32.exponents(rotaryDim / 2, rotaryDim);
    }

    /** The default frequencies {@code 1/θ^(2i/rotaryDim)} in float32, before any scaling. */
    float[] unscaledInvFreq() {
        return TorchFloat32.inverseFrequencies(ropeTheta, exponents());
    }
}
