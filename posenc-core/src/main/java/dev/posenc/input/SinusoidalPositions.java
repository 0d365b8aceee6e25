package dev.posenc.input;

import java.util.Objects;

/**
 * The fixed sinusoidal encoding of Vaswani et al. 2017 (arXiv:1706.03762, §3.5):
 * <pre>
 * ω_k = base^(−2k/dim),  k = 0 .. dim/2 − 1
 * PE[p, sin column of k] = sin(p·ω_k),  PE[p, cos column of k] = cos(p·ω_k)
 * </pre>
 * with the columns given by {@link SinusoidLayout}. Angles are computed in double precision, so far positions are
 * as exact as near ones. {@code PE(p + k)} is a rotation of {@code PE(p)} by the angles {@code k·ω}: a linear
 * function of it, which is why {@link RecurrentPositions#ofSinusoid} reproduces this encoding.
 *
 * @param dim the vector size, even and positive
 * @param base the wavelength base (10000 in the paper); finite and {@code > 1}
 * @param layout interleaved (Vaswani) or concatenated (Transformer-XL)
 */
public record SinusoidalPositions(int dim, double base, SinusoidLayout layout) implements AbsolutePositions {
    /** The paper's base. */
    public static final double DEFAULT_BASE = 10000.0;

    public SinusoidalPositions {
        Objects.requireNonNull(layout, "layout");
        if (dim <= 0 || dim % 2 != 0) {
            throw new IllegalArgumentException("the sinusoidal dimension must be even and positive, got " + dim);
        }
        if (!(base > 1) || Double.isInfinite(base)) {
            throw new IllegalArgumentException("the sinusoidal base must be a finite number > 1, got " + base);
        }
    }

    /** Vaswani's interleaved encoding with base 10000. */
    public static SinusoidalPositions vaswani(int dim) {
        return new SinusoidalPositions(dim, DEFAULT_BASE, SinusoidLayout.INTERLEAVED);
    }

    /** The angular frequency {@code ω_k = base^(−2k/dim)} in radians per position. */
    public double angularFrequency(int k) {
        return Math.pow(base, -2.0 * k / dim);
    }

    /** Entry {@code index} of the vector of {@code position}, in double precision (positions may be negative). */
    public double value(long position, int index) {
        int half = dim / 2;
        boolean sine;
        int k;
        if (layout == SinusoidLayout.INTERLEAVED) {
            k = index / 2;
            sine = index % 2 == 0;
        } else {
            k = index % half;
            sine = index < half;
        }
        double angle = position * angularFrequency(k);
        return sine ? Math.sin(angle) : Math.cos(angle);
    }

    /** Writes the vector of {@code position} (may be negative, as Transformer-XL's distances) into {@code out}. */
    public void write(long position, double[] out, int offset) {
        Objects.requireNonNull(out, "out");
        for (int k = 0; k < dim / 2; k++) {
            double angle = position * angularFrequency(k);
            out[offset + layout.sinIndex(k, dim)] = Math.sin(angle);
            out[offset + layout.cosIndex(k, dim)] = Math.cos(angle);
        }
    }

    @Override
    public float[] table(int firstPosition, int count) {
        if (firstPosition < 0 || count < 0) {
            throw new IllegalArgumentException("positions must be >= 0, got first " + firstPosition + ", count " + count);
        }
        float[] out = new float[Math.multiplyExact(count, dim)];
        double[] row = new double[dim];
        for (int p = 0; p < count; p++) {
            write((long) firstPosition + p, row, 0);
            for (int c = 0; c < dim; c++) {
                out[p * dim + c] = (float) row[c];
            }
        }
        return out;
    }
}
