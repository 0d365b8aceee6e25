package dev.posenc.config;

import java.util.List;
import java.util.Objects;

/**
 * A model's attention geometry, layer by layer: what {@link HfConfig#loadGeometry} reads from a config.json (and what
 * any other model reader, e.g. of GGUF files, can build), with the config's position encoding and warnings.
 *
 * <pre>{@code
 * ModelGeometry geometry = HfConfig.loadGeometry(Path.of("gemma-2-9b-it/config.json"));
 * LayerAttention layer = geometry.forLayer(1);          // a global layer: sliding_window empty
 * double scale = layer.softmaxScale();                  // query_pre_attn_scalar^-0.5
 * layer.rotation(8192).ifPresent(r -> r.apply(RopePositions.startingAt(0), tokens, q, k));
 * }</pre>
 *
 * @param config the model's position encoding as {@link HfConfig#load} reads it, with every warning
 * @param layers one entry per decoder layer, in order ({@code layers.get(i).layer() == i})
 */
public record ModelGeometry(PositionConfig config, List<LayerAttention> layers) {
    public ModelGeometry {
        Objects.requireNonNull(config, "config");
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a model has at least one layer");
        }
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).layer() != i) {
                throw new IllegalArgumentException("layers[" + i + "] describes layer " + layers.get(i).layer());
            }
        }
    }

    /** The number of decoder layers ({@code num_hidden_layers}). */
    public int numLayers() {
        return layers.size();
    }

    /**
     * Layer {@code i}'s attention.
     *
     * @throws IllegalArgumentException if {@code i} is not in {@code [0, numLayers())}
     */
    public LayerAttention forLayer(int i) {
        if (i < 0 || i >= layers.size()) {
            throw new IllegalArgumentException("layer " + i + " is not in [0, " + layers.size() + ")");
        }
        return layers.get(i);
    }
}
