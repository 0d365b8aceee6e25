package dev.posenc.input;

import java.util.Objects;

/**
 * Complex-order word embeddings (Wang et al. 2020, "Encoding word order in complex embeddings", arXiv:1912.12333,
 * eq. 3): each word {@code w} has an amplitude {@code r_w}, a frequency {@code ω_w} and an initial phase
 * {@code θ_w} per dimension, and its embedding at position {@code pos} is
 * <pre>
 * f(w, pos) = r_w ⊙ e^{i(ω_w·pos + θ_w)}
 * </pre>
 * Position is part of the embedding rather than added to it, and a shift by {@code n} is a per-dimension rotation
 * independent of {@code pos}: {@code f(w, pos + n) = f(w, pos) ⊙ e^{iω_w n}}. The real form used here is
 * {@code [Re f ‖ Im f]}, {@code 2·dim} numbers.
 *
 * @param vocabSize the number of words
 * @param dim the complex dimension
 * @param amplitude {@code vocabSize × dim} amplitudes {@code r} (copied)
 * @param frequency {@code vocabSize × dim} frequencies {@code ω} (copied)
 * @param phase {@code vocabSize × dim} initial phases {@code θ} (copied)
 */
public record ComplexOrderEmbedding(int vocabSize, int dim, float[] amplitude, float[] frequency, float[] phase) {
    public ComplexOrderEmbedding {
        Objects.requireNonNull(amplitude, "amplitude");
        Objects.requireNonNull(frequency, "frequency");
        Objects.requireNonNull(phase, "phase");
        if (vocabSize <= 0 || dim <= 0) {
            throw new IllegalArgumentException("vocab size and dim must be positive, got " + vocabSize + ", " + dim);
        }
        long size = (long) vocabSize * dim;
        amplitude = copy("amplitude", amplitude, size);
        frequency = copy("frequency", frequency, size);
        phase = copy("phase", phase, size);
    }

    private static float[] copy(String name, float[] values, long size) {
        if (values.length != size) {
            throw new IllegalArgumentException(name + " must have vocab_size x dim = " + size + " values, got "
                    + values.length);
        }
        return values.clone();
    }

    @Override
    public float[] amplitude() {
        return amplitude.clone();
    }

    @Override
    public float[] frequency() {
        return frequency.clone();
    }

    @Override
    public float[] phase() {
        return phase.clone();
    }

    /** {@code [Re f(w, pos) ‖ Im f(w, pos)]} in double precision. */
    public double[] embed(int word, long position) {
        if (word < 0 || word >= vocabSize) {
            throw new IllegalArgumentException("word " + word + " is outside the vocabulary 0.." + (vocabSize - 1));
        }
        double[] out = new double[2 * dim];
        for (int k = 0; k < dim; k++) {
            int at = word * dim + k;
            double angle = (double) frequency[at] * position + phase[at];
            out[k] = amplitude[at] * Math.cos(angle);
            out[dim + k] = amplitude[at] * Math.sin(angle);
        }
        return out;
    }

    /** The real-form embeddings of a token sequence starting at {@code firstPosition}: {@code n × 2·dim}. */
    public float[] embed(int[] words, int firstPosition) {
        Objects.requireNonNull(words, "words");
        float[] out = new float[Math.multiplyExact(words.length, 2 * dim)];
        for (int t = 0; t < words.length; t++) {
            double[] e = embed(words[t], (long) firstPosition + t);
            for (int c = 0; c < 2 * dim; c++) {
                out[t * 2 * dim + c] = (float) e[c];
            }
        }
        return out;
    }
}
