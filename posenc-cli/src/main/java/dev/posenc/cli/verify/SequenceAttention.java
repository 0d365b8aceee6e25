package dev.posenc.cli.verify;

/** An attention layer under test, as a function of its input sequence: {@code S x D} rows in, {@code S x D} out. */
@FunctionalInterface
public interface SequenceAttention {
    float[][] attend(float[][] x);
}
