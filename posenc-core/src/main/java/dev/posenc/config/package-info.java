/**
 * Reads a Hugging Face {@code config.json} into what the model does with positions, with Hugging Face
 * transformers' own semantics (v5, {@code modeling_rope_utils.py} and each family's model code).
 *
 * <h2>Reading order</h2>
 * <ol>
 *   <li>{@link dev.posenc.config.HfConfig}: the entry point, {@code load(Path)} or {@code parse(String, String)};
 *   <li>{@link dev.posenc.config.PositionConfig}: what it returns, a {@link dev.posenc.config.ModelEncoding} plus
 *       the warnings Hugging Face would log;
 *   <li>the encodings: {@link dev.posenc.config.RopeEncoding} (a {@link dev.posenc.querykey.RopeSpec}, per layer
 *       type where the model has several, and {@link dev.posenc.config.MRopeSection}),
 *       {@link dev.posenc.config.AlibiEncoding}, {@link dev.posenc.config.T5Encoding},
 *       {@link dev.posenc.config.DebertaEncoding}, {@link dev.posenc.config.LearnedAbsoluteEncoding};
 *   <li>{@link dev.posenc.config.ModelGeometry} ({@code HfConfig.loadGeometry}): the attention of every layer,
 *       {@link dev.posenc.config.LayerAttention} (heads, head sizes, a {@link dev.posenc.config.LayerEncoding}
 *       rotary slice or NoPE, softmax scale, window) and its ready-to-use
 *       {@link dev.posenc.config.LayerRotation}; read by {@code GeometryReader} from each family's attention class;
 *   <li>{@link dev.posenc.config.ConfigException}: every error, one line naming the file, the key path and what
 *       was expected.
 * </ol>
 * Inside (package-private), along Hugging Face's own seam: {@code Json} (a strict JSON reader) and
 * {@code ConfigNode} (typed access with key paths); {@code ModelFamily} (the families, with what their model code
 * does) and {@code RopeFamilies} (where each family keeps its geometry, base and context length);
 * {@code RopeParameters} (the rope dict, standardized and validated as {@code RotaryEmbeddingConfigMixin} does);
 * {@code SourcedValue} (which key a standardized value came from). The numeric rules live in
 * {@link dev.posenc.querykey.RopeSpec} and {@link dev.posenc.querykey.RopeScaling}, whose
 * {@link dev.posenc.querykey.RopeParameterException}s this package rethrows with the key path.
 *
 * <h2>Where posenc and Hugging Face differ on purpose</h2>
 * Phi-3's original {@code "su"} release (with a top-level {@code original_max_position_embeddings}) is read as
 * transformers 4 read it, with a warning that transformers 5 rejects it; values that would make frequencies or the
 * attention scaling non-finite in float32 are errors (Hugging Face computes NaN or infinity with them).
 * {@code scripts/reference/hf_rope/diff.py} runs Hugging Face's own code on the shared configs and hundreds of
 * mutations and compares.
 */
package dev.posenc.config;
