package dev.posenc.querykey;

/**
 * The few float32 tensor operations Hugging Face's RoPE functions perform, reproduced with Java {@code float}
 * arithmetic so that the results agree with PyTorch to about one ulp.
 *
 * <p>The rules this relies on (PyTorch CPU semantics, checked with torch 1.13):
 * <ul>
 *   <li>an operation between a float32 tensor and a Python scalar first rounds the scalar to float32
 *       ({@code base ** t}, {@code t / factor}, {@code t > 8192.5}, {@code 1 - t} all compute in float32);
 *   <li>{@code scalar / t} is {@code t.reciprocal() * scalar} ({@code torch.Tensor.__rdiv__}), two roundings;
 *   <li>an int64 tensor multiplied by a Python float is converted to float32 before the product;
 *   <li>every elementwise op is a separate kernel, so nothing is fused (Java never fuses either);
 *   <li>the exception: {@code t ** python_float} on a 0-dim tensor keeps the exponent in double and computes
 *       {@code pow} in double before rounding ({@link #powScalarExponent}).
 * </ul>
 * PyTorch's float32 {@code pow} is not always correctly rounded (it may use SLEEF's 1-ulp {@code powf}); we round
 * the double-precision {@link StrictMath#pow} to float, which is correctly rounded, so single results may differ
 * from PyTorch by one ulp.
 */
final class TorchFloat32 {
    private TorchFloat32() {}

    /** {@code torch.arange(0, dim, 2, dtype=torch.int64).float() / dim}: the exponents {@code 2i/dim} in float32. */
    static float[] exponents(int pairs, int dim) {
        float[] e = new float[pairs];
        for (int i = 0; i < pairs; i++) {
            e[i] = (float) (2 * i) / (float) dim;
        }
        return e;
    }

    /** Elementwise float32 {@code a ** b}. */
    static float pow(float a, float b) {
        return (float) StrictMath.pow(a, b);
    }

    /** {@code t ** exponent} for a 0-dim float32 tensor {@code t} and a Python float {@code exponent}. */
    static float powScalarExponent(float t, double exponent) {
        return (float) StrictMath.pow(t, exponent);
    }

    /** {@code 1.0 / (base ** exponents)} with {@code base} a Python float, as every HF default inv_freq is built. */
    static float[] inverseFrequencies(double base, float[] exponents) {
        float b = (float) base;
        float[] inv = new float[exponents.length];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1f / pow(b, exponents[i]);
        }
        return inv;
    }

    /** {@code 2 * math.pi / inv_freq}, i.e. {@code inv_freq.reciprocal() * float32(2π)}. */
    static float wavelength(float invFreq) {
        return (1f / invFreq) * (float) (2 * Math.PI);
    }
}
