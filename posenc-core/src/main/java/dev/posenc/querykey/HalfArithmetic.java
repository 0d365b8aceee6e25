package dev.posenc.querykey;

/**
 * How {@link RotaryEmbedding} rotates queries and keys stored as {@link HalfFloat}s.
 *
 * <p>Both read each pair exactly (widened to float) and store each result rounded once to the tensor's format; they
 * differ in what happens between.
 */
public enum HalfArithmetic {
    /**
     * The float32 rotation of the float kernels ({@code x0*cos - x1*sin}, {@code x1*cos + x0*sin} with float cos/sin
     * from the {@link CosSinSource}, each product and the sum rounded to float), rounded once to the tensor's
     * format: the float32 result to within half an ulp of the format, what an engine that computes in float and
     * stores half (vLLM's and llama.cpp's f16 kernels) aims for. The default.
     */
    FLOAT32,

    /**
     * Hugging Face's forward pass on a bf16/fp16 model, bit for bit: {@code LlamaRotaryEmbedding.forward} computes
     * cos and sin in float32 and returns {@code cos.to(dtype=x.dtype), sin.to(dtype=x.dtype)}, then
     * {@code apply_rotary_pos_emb} evaluates {@code (q * cos) + (rotate_half(q) * sin)} as three torch ops on
     * tensors of that dtype, each computed in float and rounded to the dtype (torch's CPU kernels). So here the
     * source's float cos/sin are rounded to the format, and {@code x0' = r(r(x0*cos) - r(x1*sin))},
     * {@code x1' = r(r(x1*cos) + r(x0*sin))} with {@code r} rounding to the format (the products of two half values
     * are exact in float; {@code rotate_half}'s negation is exact). With the source in
     * {@link RotaryPrecision#HF_FLOAT32} this reproduces a torch run; GPT-J's {@code rotate_every_two} is the same
     * three ops in the interleaved layout.
     */
    HF_FORWARD
}
