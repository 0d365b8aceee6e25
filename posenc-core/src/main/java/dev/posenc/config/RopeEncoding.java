package dev.posenc.config;

import java.util.Objects;
import dev.posenc.querykey.RopeSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Rotary position embedding.
 *
 * @param spec the rope of the model, or, for per-layer-type rope (Gemma 3, v5 {@code rope_parameters} keyed by
 *     {@code layer_types}), the rope of {@link #layerType()}
 * @param layerType the layer type {@code spec} belongs to ({@code full_attention} when present), for per-layer-type rope
 * @param otherLayerTypes the rope of each other layer type, in config order (empty unless per-layer-type)
 * @param mrope the multimodal section split, for Qwen2-VL-style models
 */
public record RopeEncoding(RopeSpec spec, Optional<String> layerType, Map<String, RopeSpec> otherLayerTypes,
                           Optional<MRopeSection> mrope) implements ModelEncoding {
    public RopeEncoding {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(layerType, "layerType");
        Objects.requireNonNull(otherLayerTypes, "otherLayerTypes");
        Objects.requireNonNull(mrope, "mrope");
        otherLayerTypes = Collections.unmodifiableMap(new LinkedHashMap<>(otherLayerTypes));
        if (layerType.isEmpty() && !otherLayerTypes.isEmpty()) {
            throw new IllegalArgumentException("otherLayerTypes needs a layerType for spec");
        }
    }

    /** A model with one rope for all layers. */
    public static RopeEncoding of(RopeSpec spec) {
        return new RopeEncoding(spec, Optional.empty(), Map.of(), Optional.empty());
    }

    @Override
    public String kind() {
        return "rope";
    }
}
