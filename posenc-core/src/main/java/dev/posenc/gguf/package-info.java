/**
 * Reads a GGUF file (ggml / llama.cpp's model format) into what the model does with positions, with llama.cpp's
 * semantics (llama.cpp {@code 3f545beccee69d9975f466ec7e45fd9aacd8ba90}), the counterpart of
 * {@link dev.posenc.config} for converted models.
 *
 * <h2>Reading order</h2>
 * <ol>
 *   <li>{@link dev.posenc.gguf.GgufConfig}: the entry point, {@code load(Path)} → the same
 *       {@link dev.posenc.config.PositionConfig} as {@link dev.posenc.config.HfConfig}, {@code loadGeometry(Path)} → the
 *       same per-layer {@link dev.posenc.config.ModelGeometry}, {@code model(Path)} → everything llama.cpp reads;
 *   <li>{@link dev.posenc.gguf.GgufFile}: the header (metadata {@link dev.posenc.gguf.GgufValue}s, tensor infos),
 *       read with every count checked against the bytes left; F32 tensors fetched by offset;
 *   <li>{@link dev.posenc.gguf.LlamaCppModel}: llama.cpp's hyper-parameters and, per layer and context size, the
 *       {@link dev.posenc.gguf.GgmlRopeCall}: the exact {@code ggml_rope_ext}/{@code ggml_rope_multi} arguments, ggml's
 *       float32 rotation and an exact one; {@code geometry(nCtx)}, every layer's attention as llama.cpp builds its
 *       graph;
 *   <li>{@link dev.posenc.gguf.ConversionAudit}: llama.cpp from the GGUF against Hugging Face from the config.json it
 *       was converted from.
 * </ol>
 * Errors are {@link dev.posenc.config.ConfigException}s, one line naming the file and the byte offset (or key) and
 * what was expected.
 */
package dev.posenc.gguf;
