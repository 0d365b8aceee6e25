package dev.posenc.config;

/**
 * How a model encodes token positions, as its config describes it: rotary embeddings or one of the other kinds.
 * The records carry the config's parameters only; the math of each kind lives where the encoding acts
 * ({@code dev.posenc.querykey} for RoPE, {@code dev.posenc.logits} for biases, {@code dev.posenc.input} for absolute
 * embeddings).
 */
public sealed interface ModelEncoding
        permits RopeEncoding, AlibiEncoding, T5Encoding, DebertaEncoding, LearnedAbsoluteEncoding {

    /**
     * The kind as named in CLI output: {@code rope}, {@code alibi}, {@code t5_relative_bias},
     * {@code deberta_relative} or {@code learned_absolute}.
     */
    String kind();
}
