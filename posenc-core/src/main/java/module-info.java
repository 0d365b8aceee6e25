/**
 * posenc-core: positional encodings for Transformers, grouped by where each one acts.
 *
 * <ul>
 *   <li>{@code dev.posenc.querykey}: rotary position embedding (RoPE) and its variants, applied to queries and keys.
 *   <li>{@code dev.posenc.config}: Hugging Face {@code config.json} to what the model uses for positions.
 * </ul>
 *
 * <p>The Vector API ({@code jdk.incubator.vector}) is optional: when the module is not resolved at run time
 * ({@code --add-modules jdk.incubator.vector} absent) the scalar kernels are used.
 */
module dev.posenc.core {
    requires static jdk.incubator.vector;

    exports dev.posenc.querykey;
    exports dev.posenc.config;
}
