package dev.posenc.gguf;

import dev.posenc.config.ModelGeometry;
import dev.posenc.config.PositionConfig;
import java.nio.file.Path;

/**
 * Reads a GGUF file (llama.cpp's model format) and says how the model encodes positions, with llama.cpp's
 * semantics: the counterpart of {@link dev.posenc.config.HfConfig} for a converted model.
 *
 * <pre>{@code
 * PositionConfig config = GgufConfig.load(Path.of("Llama-3.1-8B-Q4_K_M.gguf"));  // n_ctx = context_length
 * LlamaCppModel model = GgufConfig.model(Path.of("Llama-3.1-8B-Q4_K_M.gguf"));
 * GgmlRopeCall layer0 = model.ropeCall(8192, 0);   // ggml_rope_ext's arguments for an 8k context, layer 0
 * ModelGeometry geometry = GgufConfig.loadGeometry(Path.of("gemma-2-9b-it.gguf"));   // every layer, as llama.cpp
 * }</pre>
 *
 * <p>Only the header and the F32 rope factor tensors are read, never the weights. Errors are
 * {@link dev.posenc.config.ConfigException}s naming the file and the byte offset or key.
 */
public final class GgufConfig {
    private GgufConfig() {}

    /** {@link #load(Path, int)} at llama.cpp's default context, {@code context_length}. */
    public static PositionConfig load(Path file) {
        return load(file, 0);
    }

    /** The position encoding llama.cpp uses for {@code file} with a context of {@code nCtx} tokens (0: default). */
    public static PositionConfig load(Path file, int nCtx) {
        if (nCtx < 0) {
            throw new IllegalArgumentException("n_ctx: expected 0 (default) or a positive integer, got " + nCtx);
        }
        return model(file).positionConfig(nCtx);
    }

    /** {@link #loadGeometry(Path, int)} at llama.cpp's default context, {@code context_length}. */
    public static ModelGeometry loadGeometry(Path file) {
        return loadGeometry(file, 0);
    }

    /**
     * Every layer's attention geometry as llama.cpp runs {@code file} with a context of {@code nCtx} tokens (0:
     * default): the same {@link ModelGeometry} as {@link dev.posenc.config.HfConfig#loadGeometry}, with llama.cpp's
     * head counts and sizes, rope per layer, sliding and NoPE layers and softmax scale
     * ({@link LlamaCppModel#geometry(int)}).
     */
    public static ModelGeometry loadGeometry(Path file, int nCtx) {
        if (nCtx < 0) {
            throw new IllegalArgumentException("n_ctx: expected 0 (default) or a positive integer, got " + nCtx);
        }
        return model(file).geometry(nCtx);
    }

    /** Everything llama.cpp reads about positions and attention geometry from {@code file}. */
    public static LlamaCppModel model(Path file) {
        return LlamaCppModel.of(GgufFile.read(file));
    }

    /** {@link #model(Path)}, with messages naming the file {@code source} (e.g. the name of an upload). */
    public static LlamaCppModel model(Path file, String source) {
        return LlamaCppModel.of(GgufFile.read(file, source));
    }
}
