package dev.posenc.querykey;

/**
 * Frequencies for tests, built directly (the frequency computation of every rope type belongs to another part of
 * the library): Hugging Face's default {@code inv_freq[i] = 1 / θ^(2i / rotaryDim)} evaluated in float, as
 * {@code 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))} does.
 */
final class TestFrequencies {
    private TestFrequencies() {}

    static RotaryFrequencies defaults(int headDim, int rotaryDim, RopeLayout layout, double theta) {
        return new RotaryFrequencies(headDim, rotaryDim, layout, invFreq(rotaryDim, theta), 1.0);
    }

    static float[] invFreq(int rotaryDim, double theta) {
        float[] inv = new float[rotaryDim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / rotaryDim;
            inv[i] = 1f / (float) Math.pow((float) theta, exponent);
        }
        return inv;
    }
}
