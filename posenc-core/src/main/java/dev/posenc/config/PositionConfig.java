package dev.posenc.config;

import java.util.Objects;
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
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(modelType, "modelType");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(warnings, "warnings");
        warnings = List.copyOf(warnings);
    }
}
