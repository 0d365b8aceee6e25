package dev.posenc.config;

import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RopeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The attention geometry of each decoder layer of a config.json, as each family's HF attention class builds it
 * ({@code XxxAttention.__init__}, transformers v5; remote code where HF has none): head counts and sizes, which
 * layers slide, chunk or skip RoPE ({@code layer_types} and the keys each config class derives them from), the
 * layer's rope spec (from {@link RopeFamilies}) and the softmax scale. The position encoding itself is
 * {@link HfConfig#read}'s; this class only adds what varies per layer.
 */
final class GeometryReader {
    /** More layers than any published model by far, few enough to list. */
    private static final int MAX_LAYERS = 1 << 16;

    /** Families whose config class reads (or derives) {@code layer_types} and whose attention uses them. */
    private static final Set<String> READS_LAYER_TYPES = Set.of("gemma2", "gemma3", "gemma3_text", "gpt_oss",
            "cohere2", "qwen2", "qwen3", "qwen2_moe", "qwen2_vl", "qwen2_vl_text", "qwen2_5_vl", "qwen2_5_vl_text",
            "llama4", "llama4_text", "gemma4", "gemma4_text");

    /**
     * Families whose attention passes {@code sliding_window=config.sliding_window} on every layer
     * ({@code MistralAttention}, {@code MixtralAttention}, {@code Starcoder2Attention}, {@code Phi3Attention},
     * {@code Qwen3MoeAttention}), with their config class's default.
     */
    private static final Map<String, Integer> SLIDING_EVERY_LAYER = Map.of("mistral", 4096, "mixtral", 0,
            "starcoder2", 0, "phi3", 0, "qwen3_moe", 4096);

    /** {@code num_hidden_layers} of the HF config class, used with a warning when a config omits it. */
    private static final Map<String, Integer> DEFAULT_LAYERS = Map.ofEntries(
            Map.entry("llama", 32), Map.entry("mistral", 32), Map.entry("mixtral", 32), Map.entry("qwen2", 32),
            Map.entry("qwen2_moe", 24), Map.entry("qwen3", 32), Map.entry("qwen3_moe", 24), Map.entry("gemma", 28),
            Map.entry("gemma2", 26), Map.entry("gemma3", 26), Map.entry("gemma3_text", 26), Map.entry("gpt_oss", 36),
            Map.entry("cohere", 40), Map.entry("cohere2", 40), Map.entry("llama4", 48), Map.entry("llama4_text", 48),
            Map.entry("phi", 24), Map.entry("phi3", 32), Map.entry("stablelm", 32), Map.entry("gpt_neox", 44),
            Map.entry("gptj", 28), Map.entry("falcon", 32), Map.entry("olmo", 32), Map.entry("olmo2", 32),
            Map.entry("starcoder2", 30), Map.entry("granite", 32), Map.entry("deepseek_v2", 32),
            Map.entry("deepseek_v3", 61), Map.entry("glm", 40), Map.entry("glm4", 40), Map.entry("qwen2_vl", 80),
            Map.entry("qwen2_vl_text", 80), Map.entry("qwen2_5_vl", 80), Map.entry("qwen2_5_vl_text", 80),
            Map.entry("qwen3_vl", 32), Map.entry("qwen3_vl_text", 32));

    private final ConfigNode node;
    private final ModelFamily family;
    private final String modelType;
    private final RopeEncoding rope;

    private GeometryReader(ConfigNode node, ModelFamily family, String modelType, RopeEncoding rope) {
        this.node = node;
        this.family = family;
        this.modelType = modelType;
        this.rope = rope;
    }

    /** The geometry of an already read config ({@code document} as {@link HfConfig#read} got it). */
    @SuppressWarnings("unchecked")
    static ModelGeometry read(Object document, PositionConfig config, List<String> warnings) {
        ConfigNode root = ConfigNode.root(config.source(), (Map<String, Object>) document, warnings);
        Optional<ConfigNode> textConfig = root.object("text_config", "an object");
        ConfigNode node = textConfig.orElse(root);
        String textModelType = textConfig.flatMap(t -> t.string("model_type", "a string"))
                .orElse(config.modelType());
        String modelType = ModelFamily.of(textModelType).isPresent() ? textModelType : config.modelType();
        ModelFamily family = ModelFamily.of(modelType)
                .orElse(modelType.startsWith("gpt_neox") ? ModelFamily.GPT_NEOX : ModelFamily.LLAMA);
        if (!(config.encoding() instanceof RopeEncoding rope)) {
            throw ConfigException.at(config.source(), "model_type", "a RoPE model for the per-layer attention "
                    + "geometry", "\"" + config.modelType() + "\" (" + config.encoding().kind() + ")");
        }
        List<LayerAttention> layers = new GeometryReader(node, family, modelType, rope).layers();
        return new ModelGeometry(new PositionConfig(config.source(), config.modelType(), config.encoding(),
                warnings), layers);
    }

    private List<LayerAttention> layers() {
        int layers = numLayers();
        if (layers > MAX_LAYERS) {
            throw node.error(present("num_hidden_layers", "n_layer", "num_layers"), "a positive integer <= "
                    + MAX_LAYERS + " (the number of decoder layers)");
        }
        int queryHeads = requiredInt(1, "a positive integer (the number of attention heads)",
                "num_attention_heads", "n_head");
        int kvHeads = keyValueHeads(queryHeads);
        boolean mla = family == ModelFamily.DEEPSEEK;
        boolean gemma4 = family == ModelFamily.GEMMA4;
        int ropeDim = rope.spec().headDim();
        int nope = mla ? node.integer("qk_nope_head_dim", 1, "a positive integer").orElse(128) : 0;
        int qkHeadDim = nope + ropeDim;
        int vHeadDim = mla ? node.integer("v_head_dim", 1, "a positive integer").orElse(128) : qkHeadDim;
        double scale = softmaxScale(qkHeadDim);
        int globalKvHeads = gemma4 && node.bool("attention_k_eq_v", "true or false").orElse(false)
                ? node.integer("num_global_key_value_heads", 1, "a positive integer").orElse(kvHeads) : kvHeads;
        OptionalDouble softcap = softcap();

        List<String> types = layerTypes(layers);
        boolean[] usesRope = usesRope(layers, types);
        OptionalInt window = slidingWindow();
        OptionalInt everyLayerWindow = everyLayerWindow();
        OptionalInt chunk = modelType.startsWith("llama4")
                ? positiveOrNone("attention_chunk_size", 8192) : OptionalInt.empty();
        Optional<AttentionTemperature> temperature = temperature();

        List<LayerAttention> out = new ArrayList<>(layers);
        for (int i = 0; i < layers; i++) {
            String type = types.get(i);
            LayerEncoding encoding = usesRope[i]
                    ? new LayerEncoding.Rotary(specFor(i, type), nope, mla, rope.mrope())
                    : new LayerEncoding.NoPE(noPeReason());
            OptionalInt sliding = type.equals("sliding_attention") ? window : everyLayerWindow;
            if (gemma4) {
                // Gemma4TextAttention: per_layer_config gives full-attention layers global_head_dim (and, with
                // attention_k_eq_v, num_global_key_value_heads); q and k are normed, so scaling is 1.
                int dim = specFor(i, type).headDim();
                out.add(new LayerAttention(i, type, queryHeads, type.equals("full_attention") ? globalKvHeads
                        : kvHeads, dim, dim, encoding, 1.0, sliding, OptionalInt.empty(), softcap, Optional.empty()));
                continue;
            }
            out.add(new LayerAttention(i, type, queryHeads, kvHeads, qkHeadDim, vHeadDim, encoding, scale, sliding,
                    type.equals("chunked_attention") ? chunk : OptionalInt.empty(), softcap,
                    usesRope[i] ? Optional.empty() : temperature));
        }
        return out;
    }

    /** {@code num_hidden_layers} (or {@code n_layer}, ChatGLM's {@code num_layers}); absent: the class default. */
    private int numLayers() {
        String expected = "a positive integer <= " + MAX_LAYERS + " (the number of decoder layers)";
        String key = present("num_hidden_layers", "n_layer", "num_layers");
        if (node.has(key)) {
            return node.integer(key, 1, expected).getAsInt();
        }
        Integer fallback = DEFAULT_LAYERS.get(modelType);
        if (fallback == null) {
            throw node.error(key, expected);
        }
        node.warn(key, "not set; using " + fallback + ", the default of Hugging Face's config for \"" + modelType
                + "\"");
        return fallback;
    }

    // ---------------------------------------------------------------------------------------------------------
    // heads
    // ---------------------------------------------------------------------------------------------------------

    /**
     * {@code num_key_value_heads} (default: the query heads); Falcon's {@code num_kv_heads} only with
     * {@code new_decoder_architecture} or without {@code multi_query} (default true), else 1
     * ({@code FalconAttention}); ChatGLM's {@code multi_query_group_num} with {@code multi_query_attention}.
     */
    private int keyValueHeads(int queryHeads) {
        String key;
        int kv;
        switch (family) {
            case FALCON -> {
                boolean newArchitecture = node.bool("new_decoder_architecture", "true or false").orElse(false);
                boolean multiQuery = node.bool("multi_query", "true or false").orElse(true);
                key = present("num_kv_heads", "n_head_kv");
                kv = newArchitecture || !multiQuery
                        ? node.integer(key, 1, "a positive integer").orElse(queryHeads) : 1;
            }
            case CHATGLM -> {
                key = "multi_query_group_num";
                kv = node.bool("multi_query_attention", "true or false").orElse(false)
                        ? node.integer(key, 1, "a positive integer").orElseThrow(
                                () -> node.error(key, "a positive integer (multi_query_attention is true)"))
                        : queryHeads;
            }
            case GPTJ, MIXFORMER -> {
                key = "n_head";
                kv = queryHeads;
            }
            default -> {
                key = "num_key_value_heads";
                kv = node.integer(key, 1, "a positive integer").orElse(queryHeads);
            }
        }
        if (queryHeads % kv != 0) {
            throw node.error(key, "a divisor of the " + queryHeads + " attention heads");
        }
        return kv;
    }

    // ---------------------------------------------------------------------------------------------------------
    // layer types, windows, NoPE
    // ---------------------------------------------------------------------------------------------------------

    /**
     * HF's {@code layer_types}: given, or derived as the config class derives it (Gemma 2 and gpt-oss alternate
     * sliding/full from layer 0; Gemma 3 and Cohere 2 make every {@code sliding_window_pattern}-th layer full
     * (defaults 6 and 4); Qwen2/Qwen3/Qwen2-VL slide from layer {@code max_window_layers} on when
     * {@code use_sliding_window}; Llama 4 chunks its RoPE layers); {@code full_attention} for the other families.
     */
    private List<String> layerTypes(int layers) {
        if (READS_LAYER_TYPES.contains(modelType) && node.has("layer_types")) {
            List<Object> given = node.list("layer_types", "a list of layer type names").orElseThrow();
            if (given.size() != layers) {
                throw node.error("layer_types", "a list of " + layers + " layer types (one per layer, "
                        + "num_hidden_layers = " + layers + ")");
            }
            List<String> types = new ArrayList<>(layers);
            for (int i = 0; i < layers; i++) {
                if (!(given.get(i) instanceof String s) || !Set.of("full_attention", "sliding_attention",
                        "chunked_attention").contains(s)) {
                    throw ConfigException.at(node.source(), node.path("layer_types") + "[" + i + "]",
                            "\"full_attention\", \"sliding_attention\" or \"chunked_attention\"",
                            ConfigNode.render(given.get(i)));
                }
                types.add(s);
            }
            return types;
        }
        List<String> types = new ArrayList<>(layers);
        switch (modelType) {
            case "gemma2", "gpt_oss" -> {
                for (int i = 0; i < layers; i++) {
                    types.add((i + 1) % 2 != 0 ? "sliding_attention" : "full_attention");
                }
            }
            case "gemma3", "gemma3_text", "cohere2" -> {
                int pattern = node.integer("sliding_window_pattern", 1, "a positive integer")
                        .orElse(modelType.equals("cohere2") ? 4 : 6);
                for (int i = 0; i < layers; i++) {
                    types.add((i + 1) % pattern != 0 ? "sliding_attention" : "full_attention");
                }
            }
            case "gemma4", "gemma4_text" -> {
                for (int i = 0; i < layers; i++) {
                    types.add((i + 1) % 6 != 0 && i != layers - 1 ? "sliding_attention" : "full_attention");
                }
            }
            case "qwen2", "qwen3", "qwen2_vl", "qwen2_vl_text", "qwen2_5_vl", "qwen2_5_vl_text" -> {
                boolean sliding = slidingWindow().isPresent();
                int from = node.integer("max_window_layers", 0, "a non-negative integer")
                        .orElse(modelType.startsWith("qwen2_") ? 80 : 28);
                for (int i = 0; i < layers; i++) {
                    types.add(sliding && i >= from ? "sliding_attention" : "full_attention");
                }
            }
            case "qwen2_moe" -> {
                boolean sliding = node.bool("use_sliding_window", "true or false").orElse(false);
                int below = node.integer("max_window_layers", 0, "a non-negative integer").orElse(28);
                for (int i = 0; i < layers; i++) {
                    types.add(sliding && (i + 1) % 2 != 0 && i < below ? "sliding_attention" : "full_attention");
                }
            }
            case "llama4", "llama4_text" -> {
                boolean[] rope = noRopeLayers(layers);
                for (int i = 0; i < layers; i++) {
                    types.add(rope[i] ? "chunked_attention" : "full_attention");
                }
            }
            default -> {
                for (int i = 0; i < layers; i++) {
                    types.add("full_attention");
                }
            }
        }
        return types;
    }

    /** Whether each layer rotates: Llama 4's {@code no_rope_layers}; Cohere 2 only on its sliding layers. */
    private boolean[] usesRope(int layers, List<String> types) {
        boolean[] rope = new boolean[layers];
        if (modelType.startsWith("llama4")) {
            return noRopeLayers(layers);
        }
        for (int i = 0; i < layers; i++) {
            rope[i] = !modelType.equals("cohere2") || types.get(i).equals("sliding_attention");
        }
        return rope;
    }

    /**
     * Llama 4 ({@code Llama4TextConfig.__post_init__}): {@code no_rope_layers[i]} is 1 where layer {@code i} uses
     * RoPE (HF {@code use_rope}); absent or empty, every {@code no_rope_layer_interval}-th layer (default 4) is NoPE.
     */
    private boolean[] noRopeLayers(int layers) {
        boolean[] rope = new boolean[layers];
        List<Object> given = node.list("no_rope_layers", "a list of 0/1 flags, one per layer").orElse(List.of());
        if (!given.isEmpty()) {
            if (given.size() != layers) {
                throw node.error("no_rope_layers", "a list of " + layers + " flags (1: the layer uses RoPE, 0: "
                        + "NoPE), one per layer");
            }
            for (int i = 0; i < layers; i++) {
                if (!(given.get(i) instanceof JsonNumber n) || n.value() != 0 && n.value() != 1) {
                    throw ConfigException.at(node.source(), node.path("no_rope_layers") + "[" + i + "]",
                            "1 (the layer uses RoPE) or 0 (NoPE)", ConfigNode.render(given.get(i)));
                }
                rope[i] = n.value() == 1;
            }
            return rope;
        }
        int interval = node.integer("no_rope_layer_interval", 1, "a positive integer").orElse(4);
        if (node.has("nope_layer_interval")) {
            node.warn("nope_layer_interval", "Llama4TextConfig reads no_rope_layer_interval (" + interval
                    + " here), not this key; ignored");
        }
        for (int i = 0; i < layers; i++) {
            rope[i] = (i + 1) % interval != 0;
        }
        return rope;
    }

    private String noPeReason() {
        if (modelType.startsWith("llama4")) {
            return node.list("no_rope_layers", "a list").orElse(List.of()).isEmpty()
                    ? "Llama 4: every no_rope_layer_interval-th layer is NoPE"
                    : "Llama 4: no_rope_layers is 0 for this layer";
        }
        return "Cohere 2 rotates its sliding layers only";
    }

    /**
     * The window of the sliding layers: {@code sliding_window} (class defaults: Gemma 2/3 and Cohere 2 4096,
     * gpt-oss 128, Qwen 4096 but only with {@code use_sliding_window}); Gemma 3 with
     * {@code use_bidirectional_attention} halves it, plus one.
     */
    private OptionalInt slidingWindow() {
        return switch (modelType) {
            case "gemma2", "cohere2" -> positiveOrNone("sliding_window", 4096);
            case "gpt_oss" -> positiveOrNone("sliding_window", 128);
            case "gemma4", "gemma4_text" -> positiveOrNone("sliding_window", 512);
            case "gemma3", "gemma3_text" -> {
                OptionalInt w = positiveOrNone("sliding_window", 4096);
                yield w.isPresent() && node.bool("use_bidirectional_attention", "true or false").orElse(false)
                        ? OptionalInt.of(w.getAsInt() / 2 + 1) : w;
            }
            case "qwen2", "qwen3", "qwen2_moe", "qwen2_vl", "qwen2_vl_text", "qwen2_5_vl", "qwen2_5_vl_text" ->
                    node.bool("use_sliding_window", "true or false").orElse(false)
                            ? positiveOrNone("sliding_window", 4096) : OptionalInt.empty();
            default -> OptionalInt.empty();
        };
    }

    /** The window every layer uses (Mistral, Mixtral, Starcoder2, Phi-3, Qwen3-MoE), empty elsewhere. */
    private OptionalInt everyLayerWindow() {
        Integer classDefault = SLIDING_EVERY_LAYER.get(modelType);
        if (classDefault == null) {
            return OptionalInt.empty();
        }
        if (modelType.equals("qwen3_moe") && !node.bool("use_sliding_window", "true or false").orElse(false)) {
            return OptionalInt.empty();
        }
        return positiveOrNone("sliding_window", classDefault);
    }

    /** A positive integer, or empty when the key is JSON null; absent: {@code classDefault} (0: none). */
    private OptionalInt positiveOrNone(String key, int classDefault) {
        if (node.containsNull(key)) {
            return OptionalInt.empty();
        }
        int v = node.integer(key, 1, "a positive integer or null").orElse(classDefault);
        return v > 0 ? OptionalInt.of(v) : OptionalInt.empty();
    }

    // ---------------------------------------------------------------------------------------------------------
    // rope and scale
    // ---------------------------------------------------------------------------------------------------------

    /** The layer's spec: the one of its layer type for per-layer-type rope (Gemma 3, v5 rope_parameters). */
    private RopeSpec specFor(int layer, String type) {
        if (rope.layerType().isEmpty() || rope.layerType().get().equals(type)) {
            return rope.spec();
        }
        RopeSpec spec = rope.otherLayerTypes().get(type);
        if (spec == null) {
            throw ConfigException.at(node.source(), node.path("layer_types") + "[" + layer + "]",
                    "a layer type with rope parameters (" + String.join(", ", allLayerTypes()) + ")",
                    "\"" + type + "\"");
        }
        return spec;
    }

    private List<String> allLayerTypes() {
        List<String> names = new ArrayList<>();
        names.add(rope.layerType().orElseThrow());
        names.addAll(rope.otherLayerTypes().keySet());
        return names;
    }

    /**
     * The attention class's {@code self.scaling}: {@code head_dim**-0.5} unless Gemma 2/3
     * ({@code query_pre_attn_scalar**-0.5}, default 256), Granite ({@code attention_multiplier}, default 1) or
     * DeepSeek ({@code yarn_apply_mscale}: {@code qk_head_dim**-0.5}, times {@code mscale²} with
     * {@code mscale = 0.1 · mscale_all_dim · ln(factor) + 1} when the rope type is not default, {@code mscale_all_dim}
     * is non-zero and {@code factor > 1}).
     */
    private double softmaxScale(int qkHeadDim) {
        switch (modelType) {
            case "gemma2", "gemma3", "gemma3_text" -> {
                double scalar = node.number("query_pre_attn_scalar", "a number > 0").orElse(256);
                if (!(scalar > 0)) {
                    throw node.error("query_pre_attn_scalar", "a number > 0");
                }
                return Math.pow(scalar, -0.5);
            }
            case "granite" -> {
                double multiplier = node.number("attention_multiplier", "a number > 0").orElse(1);
                if (!(multiplier > 0)) {
                    throw node.error("attention_multiplier", "a number > 0");
                }
                return multiplier;
            }
            default -> {
                double scale = Math.pow(qkHeadDim, -0.5);
                if (family == ModelFamily.DEEPSEEK && rope.spec().ropeType() != RopeType.DEFAULT) {
                    double mscale = mscaleCorrection();
                    scale = scale * mscale * mscale;
                }
                return scale;
            }
        }
    }

    /** DeepSeek's {@code yarn_get_mscale(factor, mscale_all_dim)}, 1 when it does not apply. */
    private double mscaleCorrection() {
        double factor;
        double mscaleAllDim;
        if (rope.spec().scaling() instanceof RopeScaling.Yarn yarn) {
            factor = yarn.factor();
            mscaleAllDim = yarn.mscaleAllDim();
        } else {
            ConfigNode dict = node.object("rope_parameters", "an object")
                    .or(() -> node.object("rope_scaling", "an object")).orElse(node.empty("rope_scaling"));
            mscaleAllDim = dict.number("mscale_all_dim", "a number").orElse(0);
            factor = mscaleAllDim == 0 ? 1 : dict.number("factor", "a number >= 1")
                    .orElseThrow(() -> dict.error("factor", "a number >= 1 (mscale_all_dim is set)"));
        }
        return mscaleAllDim == 0 || factor <= 1 ? 1 : 0.1 * mscaleAllDim * Math.log(factor) + 1;
    }

    /** Gemma 2's {@code attn_logit_softcapping} (class default 50; Gemma 3: none). */
    private OptionalDouble softcap() {
        if (!modelType.equals("gemma2") && !modelType.startsWith("gemma3")) {
            return OptionalDouble.empty();
        }
        if (node.containsNull("attn_logit_softcapping")) {
            return OptionalDouble.empty();
        }
        OptionalDouble v = node.number("attn_logit_softcapping", "a number > 0 or null");
        if (v.isPresent() && !(v.getAsDouble() > 0)) {
            throw node.error("attn_logit_softcapping", "a number > 0 or null");
        }
        return v.isPresent() ? v : modelType.equals("gemma2") ? OptionalDouble.of(50) : OptionalDouble.empty();
    }

    /** Llama 4's temperature tuning on NoPE layers ({@code attn_temperature_tuning}, default true). */
    private Optional<AttentionTemperature> temperature() {
        if (!modelType.startsWith("llama4") || !node.bool("attn_temperature_tuning", "true or false").orElse(true)) {
            return Optional.empty();
        }
        double floorScale = node.number("floor_scale", "a number > 0").orElse(8192);
        if (!(floorScale > 0)) {
            throw node.error("floor_scale", "a number > 0");
        }
        double attnScale = node.number("attn_scale", "a number").orElse(0.1);
        return Optional.of(new AttentionTemperature(floorScale, attnScale));
    }

    // ---------------------------------------------------------------------------------------------------------

    private int requiredInt(int min, String expected, String... keys) {
        String key = present(keys);
        return node.integer(key, min, expected).orElseThrow(() -> node.error(key, expected));
    }

    private String present(String... keys) {
        for (String key : keys) {
            if (node.has(key)) {
                return key;
            }
        }
        return keys[0];
    }
}
