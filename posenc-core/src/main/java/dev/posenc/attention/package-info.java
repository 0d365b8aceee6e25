/**
 * Attention that hosts every encoding at the point where it acts: input encodings on the hidden states
 * ({@link dev.posenc.attention.PositionalSelfAttention}), query/key encodings on the projected queries and keys
 * ({@link dev.posenc.attention.QueryKeyEncoding}, where RoPE plugs in), logit and value encodings inside the
 * kernel ({@link dev.posenc.logits}).
 *
 * <p>Two kernels compute the same function: {@link dev.posenc.attention.ReferenceAttention} materialises the
 * {@code S × S} scores in double precision; {@link dev.posenc.attention.StreamingAttention} tiles queries and keys
 * with an online softmax (FlashAttention-style) and never holds more than a tile of scores. Multi-head,
 * grouped-query and multi-query attention differ only in {@link dev.posenc.attention.AttentionSpec#numKeyValueHeads}.
 *
 * <p>Layouts: queries and outputs are {@code queryLength × numHeads × headDim}, keys and values
 * {@code keyLength × numKeyValueHeads × headDim}, row-major; query head {@code h} reads key/value head
 * {@code h / (numHeads / numKeyValueHeads)}, as Hugging Face's {@code repeat_kv} does.
 *
 * <p>Null: every public constructor and method rejects a null argument with a {@link NullPointerException} whose
 * message is the parameter's name, before any other check, except where null means "none": the five places of
 * {@link dev.posenc.attention.AttentionEncodings} (and its {@code of…}/{@code with…} methods) and
 * {@link dev.posenc.attention.LinearAttention}'s {@code encoding}.
 */
package dev.posenc.attention;
