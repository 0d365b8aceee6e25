/**
 * Query/key encodings: rotary position embedding (RoPE; Su et al. 2021, "RoFormer", arXiv:2104.09864), which
 * rotates the projected queries and keys so that their dot product depends on relative position only, with every
 * variant Hugging Face transformers ships ({@code modeling_rope_utils}) plus M-RoPE, 2-D axial RoPE and xPos.
 *
 * <p>Reading order, from a model's description to the rotated buffers:
 * <ol>
 *   <li>{@link dev.posenc.querykey.RopeSpec}: the geometry ({@code head_dim}, {@code rotary_dim},
 *       {@link dev.posenc.querykey.RopeLayout}), {@code rope_theta}, the context length and the rope type;
 *   <li>{@link dev.posenc.querykey.RopeScaling}: one record per {@code rope_type} (default, linear, dynamic, yarn,
 *       longrope, llama3, proportional, static NTK), each one of Hugging Face's frequency functions in its float32;
 *   <li>{@link dev.posenc.querykey.RotaryFrequencies}: what {@code spec.frequencies(seqLen)} gives for a forward
 *       pass of that length, {@code inv_freq} and {@code attention_scaling}
 *       ({@link dev.posenc.querykey.DynamicRopeState} replays dynamic NTK across passes);
 *   <li>{@link dev.posenc.querykey.RotaryPrecision}: how cos and sin are evaluated ({@code EXACT} or as Hugging
 *       Face does in float32);
 *   <li>{@link dev.posenc.querykey.CosSinSource}: the cos/sin rows, from a table
 *       ({@link dev.posenc.querykey.CosSinCache}) or computed per token
 *       ({@link dev.posenc.querykey.CosSinOnTheFly});
 *   <li>{@link dev.posenc.querykey.HeadStrides} and {@link dev.posenc.querykey.RopePositions}: where the heads of
 *       a buffer lie and at which positions its tokens are;
 *   <li>{@link dev.posenc.querykey.RotaryAxes} (M-RoPE, 2-D row/column RoPE) and {@link dev.posenc.querykey.XPos}:
 *       the variants of what each pair rotates by;
 *   <li>{@link dev.posenc.querykey.RotaryEmbedding}: the validated entry point that rotates queries and keys in
 *       place, on {@code float[]} or {@code MemorySegment}, or on {@link dev.posenc.querykey.HalfFloat} tensors
 *       ({@code short[]}) with a {@link dev.posenc.querykey.HalfArithmetic}; it also shifts cached keys
 *       ({@code shiftKeys}) and splits calls over an executor;
 *   <li>{@link dev.posenc.querykey.RopeKernel}: the loop that does it, a scalar reference and a bit-identical
 *       Vector API kernel.
 * </ol>
 *
 * <p>Null: every public constructor and method rejects a null argument with a {@link NullPointerException} whose
 * message is the parameter's name, before any other check; no parameter of this package gives null a meaning.
 */
package dev.posenc.querykey;
