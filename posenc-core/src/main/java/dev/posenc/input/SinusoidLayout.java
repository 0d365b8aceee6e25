package dev.posenc.input;

import dev.posenc.querykey.RopeLayout;

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
        return pairing().firstColumn(k, dim);
    }

    /** The column of the cosine of frequency {@code k} in a vector of {@code dim} entries. */
    int cosIndex(int k, int dim) {
        return pairing().secondColumn(k, dim);
    }

    /** The same column rule as RoPE's pairs: interleaved pairs {@code (2k, 2k+1)}, concatenated {@code (k, k+d/2)}. */
    private RopeLayout pairing() {
        return this == INTERLEAVED ? RopeLayout.INTERLEAVED : RopeLayout.HALF;
    }
}
