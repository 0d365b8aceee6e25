package dev.posenc.querykey;

import java.util.Objects;

/**
 * One rotated pair of a head, for display: its inverse frequency, its wavelength and what the rope type did to it.
 *
 * @param index the pair index {@code i}, {@code 0 <= i < rotaryDim / 2}
 * @param invFreq radians per position
 * @param wavelength tokens per full turn, {@code 2π / invFreq} (infinite when the pair does not rotate)
 * @param band what the rope type did to this pair relative to the original context
 */
public record FrequencyPair(int index, float invFreq, double wavelength, PairBand band) {
    public FrequencyPair {
        Objects.requireNonNull(band, "band");
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
    }
}
