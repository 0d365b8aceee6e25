package dev.posenc.cli.verify;

/** The sinusoidal table under test: row {@code p} is {@code PE(p)}, Vaswani's interleaved sin/cos form. */
@FunctionalInterface
public interface SinusoidalTable {
    /** {@code PE(p)} for {@code p = 0 .. positions - 1}, each of {@code dModel} values. */
    double[][] rows(int positions, int dModel);
}
