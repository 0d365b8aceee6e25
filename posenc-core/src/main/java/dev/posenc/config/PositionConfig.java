package dev.posenc.config;

import java.util.List;

/**
 * What a Hugging Face {@code config.json} says about positions.
 *
 * @param source the file name (or the name given to {@link HfConfig#parse(String, String)}), used in messages
 * @param modelType the config's top-level {@code model_type}
 * @param encoding how the model encodes positions
 * @param warnings values Hugging Face would only warn about (or that posenc had to interpret), one line each,
 *     starting with the key path they concern
 */
public record PositionConfig(String source, String modelType, ModelEncoding encoding, List<String> warnings) {
    public PositionConfig {
        if (source == null || modelType == null || encoding == null || warnings == null) {
            throw new IllegalArgumentException("source, modelType, encoding and warnings must not be null");
        }
        warnings = List.copyOf(warnings);
    }
}
