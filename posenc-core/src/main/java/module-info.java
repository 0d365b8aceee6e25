/**
 * posenc-core: positional encodings for Transformers, grouped by where each one acts.
 *
 * <ul>
 *   <li>{@code dev.posenc.querykey}: rotary position embedding (RoPE) and its variants, applied to queries and keys.
 *   <li>{@code dev.posenc.config}: Hugging Face {@code config.json} to what the model uses for positions.
 *   <li>{@code dev.posenc.gguf}: a GGUF file (llama.cpp) to the same, with llama.cpp's semantics.
 *   <li>{@code dev.posenc.input}: absolute encodings added to (or multiplied into) the token embeddings.
 *   <li>{@code dev.posenc.logits}: relative encodings that act on the attention logits (and values).
 *   <li>{@code dev.posenc.attention}: multi-head, grouped-query and multi-query attention hosting all of them.
 * </ul>
 *
 * <p>The Vector API ({@code jdk.incubator.vector}) is optional: when the module is not resolved at run time
 * ({@code --add-modules jdk.incubator.vector} absent) the scalar kernels are used.
 */
module dev.posenc.core {
    requires static jdk.incubator.vector;

    exports dev.posenc.querykey;
    exports dev.posenc.config;
    exports dev.posenc.input;
    exports dev.posenc.logits;
    exports dev.posenc.attention;
    exports dev.posenc.gguf;
}
