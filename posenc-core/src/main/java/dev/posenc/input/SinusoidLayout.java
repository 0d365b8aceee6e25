package dev.posenc.input;

/** Where the sine and the cosine of frequency {@code k} go in a sinusoidal position vector. */
public enum SinusoidLayout {
    /** Vaswani et al.: {@code PE[2k] = sin(p·ω_k)}, {@code PE[2k+1] = cos(p·ω_k)}. */
    INTERLEAVED("interleaved"),
    /**
     * Transformer-XL, XLNet, x-transformers: {@code [sin(p·ω_0..ω_{d/2−1}) ‖ cos(p·ω_0..ω_{d/2−1})]}.
     */
    CONCATENATED("concatenated");

    private final String id;

    SinusoidLayout(String id) {
        this.id = id;
    }

    /** The name used on the command line and in JSON output. */
    public String id() {
        return id;
    }

    /** The column of the sine of frequency {@code k} in a vector of {@code dim} entries. */
    int sinIndex(int k, int dim) {
        return this == INTERLEAVED ? 2 * k : k;
    }

    /** The column of the cosine of frequency {@code k} in a vector of {@code dim} entries. */
    int cosIndex(int k, int dim) {
        return this == INTERLEAVED ? 2 * k + 1 : dim / 2 + k;
    }
}
