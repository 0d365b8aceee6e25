package dev.posenc.config;

import dev.posenc.config.RopeParameters.HeadDim;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopeParameterException;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The RoPE of one config object, family by family: where each family keeps its head geometry, base and context
 * length, and which rope dict it hands to {@link RopeParameters} (Hugging Face's standardization and validation).
 * {@link ModelFamily} lists the families and what was decided for each after reading its model code.
 */
final class RopeFamilies {
    private static final Set<String> MROPE_KEYS = Set.of("mrope_section", "mrope_interleaved");

    private final ConfigNode node;
    private final ModelFamily family;
    private final String modelType;
    private final RopeParameters parameters;

    private RopeFamilies(ConfigNode node, ModelFamily family, String modelType) {
        this.node = node;
        this.family = family;
        this.modelType = modelType;
        this.parameters = new RopeParameters(node, family, modelType);
    }

    /** The RoPE of {@code node}, a config (or {@code text_config}) object of a RoPE family. */
    static RopeEncoding read(ConfigNode node, ModelFamily family, String modelType) {
        RopeFamilies reader = new RopeFamilies(node, family, modelType);
        return switch (family) {
            case GPTJ -> reader.gptj();
            case MIXFORMER -> reader.mixformer();
            case CHATGLM -> reader.chatglm();
            case STABLELM_EPOCH -> reader.stablelmEpoch();
            case GEMMA3 -> reader.gemma3();
            case GEMMA4 -> reader.gemma4();
            default -> reader.standard();
        };
    }

    /** Every family that uses HF's standard rope dict. */
    private RopeEncoding standard() {
        List<String> thetaKeys = family == ModelFamily.GPT_NEOX ? List.of("rotary_emb_base") : List.of("rope_theta");
        ConfigNode dict = parameters.dict(thetaKeys);
        int maxpos = maxPositionEmbeddings("max_position_embeddings");
        HeadDim headDim = switch (family) {
            case DEEPSEEK -> {
                OptionalInt rope = node.integer("qk_rope_head_dim", 1, "a positive integer");
                yield new HeadDim(rope.orElse(64), node, "qk_rope_head_dim",
                        rope.isPresent() ? "" : " (qk_rope_head_dim's default)");
            }
            case FALCON -> {
                if (node.has("head_dim")) {
                    throw node.error("head_dim", "no value: FalconConfig computes head_dim from hidden_size / "
                            + "num_attention_heads (a property without a setter, so Hugging Face raises AttributeError)");
                }
                yield headDimFromHidden(List.of("hidden_size", "n_embed"), List.of("num_attention_heads", "n_head"));
            }
            case GPT_NEOX -> {
                HeadDim attention = headDimFromHidden(List.of("hidden_size"), List.of("num_attention_heads"));
                OptionalInt rotary = node.integer("head_dim", 1, "a positive integer");
                yield rotary.isEmpty() ? attention : new HeadDim(attention.value(), rotary.getAsInt(), node,
                        "head_dim", "");
            }
            case QWEN_VL -> {
                if (!family.updatesDynamically(modelType) && node.has("head_dim")) {
                    node.warn("head_dim", modelType + "'s text config has no head_dim (its rotary class uses "
                            + "hidden_size / num_attention_heads); ignored");
                    yield headDimFromHidden(List.of("hidden_size"), List.of("num_attention_heads"));
                }
                yield headDim();
            }
            default -> headDim();
        };
        RopeLayout layout = family.layout();
        if (modelType.equals("deepseek_v3")
                && !node.bool("rope_interleave", "true or false").orElse(true)) {
            layout = RopeLayout.HALF;
        }
        Set<String> extraKeys = family == ModelFamily.QWEN_VL ? MROPE_KEYS : Set.of();

        Optional<List<String>> layerTypes = parameters.layerTypes();
        if (layerTypes.isPresent() && !dict.isEmpty() && layerTypes.get().containsAll(dict.keys())) {
            Map<String, RopeSpec> specs = new LinkedHashMap<>();
            for (String layerType : dict.keys()) {
                ConfigNode layerDict = dict.object(layerType, "an object with the rope parameters of layer type \""
                        + layerType + "\"").orElseThrow(() -> dict.error(layerType, "an object"));
                SourcedValue theta = parameters.theta(layerDict, thetaKeys, RopeParameters.DEFAULT_THETA);
                specs.put(layerType, parameters.spec(layerDict, headDim, family.defaultPartialRotaryFactor(), layout,
                        theta, maxpos, true, extraKeys));
            }
            return perLayer(specs);
        }
        SourcedValue theta = parameters.theta(dict, thetaKeys, RopeParameters.DEFAULT_THETA);
        if (family == ModelFamily.GPT_NEOX) {
            OptionalDouble ignored = node.number("rope_theta", "a number > 0");
            if (ignored.isPresent() && ignored.getAsDouble() != theta.value()) {
                node.warn("rope_theta", "GPTNeoXConfig reads rotary_emb_base (" + ConfigNode.format(theta.value())
                        + " here), not rope_theta; ignored");
            }
        }
        RopeSpec spec = parameters.spec(dict, headDim, family.defaultPartialRotaryFactor(), layout, theta, maxpos,
                false, extraKeys);
        Optional<MRopeSection> mrope = family == ModelFamily.QWEN_VL
                ? mrope(dict, spec.rotaryDim()) : Optional.empty();
        return new RopeEncoding(spec, Optional.empty(), Map.of(), mrope);
    }

    /** GPT-J / CodeGen: {@code create_sinusoidal_positions(n_positions, rotary_dim)}, base fixed at 10000. */
    private RopeEncoding gptj() {
        HeadDim headDim = headDimFromHidden(List.of("n_embd", "hidden_size"), List.of("n_head", "num_attention_heads"));
        int maxpos = maxPositionEmbeddings("n_positions", "max_position_embeddings");
        int rotaryDim = rotaryDimKey(headDim.value(), 64);
        ignoredByModelCode("rope_theta", "rope_scaling", "rope_parameters");
        return RopeEncoding.of(checked(() -> new RopeSpec(headDim.value(), rotaryDim, family.layout(),
                RopeParameters.DEFAULT_THETA, maxpos, new RopeScaling.Default()), "rotary_dim"));
    }

    /** MixFormer (early phi): {@code RotaryEmbedding(rotary_dim)} with base 10000, half layout. */
    private RopeEncoding mixformer() {
        HeadDim headDim = headDimFromHidden(List.of("n_embd"), List.of("n_head"));
        int maxpos = maxPositionEmbeddings("n_positions");
        int rotaryDim = rotaryDimKey(headDim.value(), 32);
        ignoredByModelCode("rope_theta", "rope_scaling", "rope_parameters");
        return RopeEncoding.of(checked(() -> new RopeSpec(headDim.value(), rotaryDim, family.layout(),
                RopeParameters.DEFAULT_THETA, maxpos, new RopeScaling.Default()), "rotary_dim"));
    }

    /** ChatGLM2/3: {@code RotaryEmbedding(kv_channels // 2)}, base {@code 10000 * rope_ratio}, interleaved. */
    private RopeEncoding chatglm() {
        OptionalInt kvChannels = node.integer("kv_channels", 1, "a positive integer");
        HeadDim headDim = kvChannels.isPresent() ? new HeadDim(kvChannels.getAsInt(), node, "kv_channels", "")
                : headDimFromHidden(List.of("hidden_size"), List.of("num_attention_heads"));
        int rotaryDim = headDim.value() / 2;
        if (rotaryDim < 2 || rotaryDim % 2 != 0) {
            throw node.error(headDim.key(), kvChannels.isPresent()
                    ? "a multiple of 4 (half the head rotates, in pairs)"
                    : "a head size that is a multiple of 4 (half the head rotates, in pairs)");
        }
        double ratio = node.number("rope_ratio", "a number > 0").orElse(1);
        if (!(ratio > 0)) {
            throw node.error("rope_ratio", "a number > 0");
        }
        int maxpos = maxPositionEmbeddings("seq_length", "max_position_embeddings");
        ignoredByModelCode("rope_theta", "rope_scaling", "rope_parameters");
        return RopeEncoding.of(checked(() -> new RopeSpec(headDim.value(), rotaryDim, family.layout(),
                RopeParameters.DEFAULT_THETA * ratio, maxpos, new RopeScaling.Default()), "rope_ratio"));
    }

    /** StableLM-Epoch remote code: {@code rotary_ndims = int(head_dim * rope_pct)}, base {@code rope_theta}. */
    private RopeEncoding stablelmEpoch() {
        HeadDim headDim = headDimFromHidden(List.of("hidden_size"), List.of("num_attention_heads"));
        int maxpos = maxPositionEmbeddings("max_position_embeddings");
        double pct = node.number("rope_pct", "a number in (0, 1]").orElse(family.defaultPartialRotaryFactor());
        if (!(pct > 0 && pct <= 1)) {
            throw node.error("rope_pct", "a number in (0, 1]");
        }
        double theta = node.number("rope_theta", "a number > 0").orElse(RopeParameters.DEFAULT_THETA);
        double rotaryScaling = node.number("rotary_scaling_factor", "a number").orElse(1);
        if (rotaryScaling != 1) {
            node.warn("rotary_scaling_factor", "StableLM-Epoch's model code never reads it; ignored");
        }
        ignoredByModelCode("rope_scaling", "rope_parameters");
        int rotaryDim = (int) (headDim.value() * pct);
        if (rotaryDim < 2 || rotaryDim % 2 != 0) {
            throw node.error("rope_pct", "a value giving an even rotary dimension >= 2 (int(head_dim "
                    + headDim.value() + " * " + ConfigNode.format(pct) + ") = " + rotaryDim + ")");
        }
        return RopeEncoding.of(checked(() -> new RopeSpec(headDim.value(), rotaryDim, family.layout(), theta, maxpos,
                new RopeScaling.Default()), "rope_theta"));
    }

    /**
     * Gemma 3 ({@code Gemma3TextConfig.convert_rope_params_to_dict}): per-layer-type dicts, {@code rope_scaling}
     * merged into {@code full_attention}, default bases 1e6 (global) and 1e4 (local, {@code rope_local_base_freq}).
     */
    private RopeEncoding gemma3() {
        OptionalInt explicit = node.integer("head_dim", 1, "a positive integer");
        HeadDim headDim = new HeadDim(explicit.orElse(256), node, "head_dim",
                explicit.isPresent() ? "" : " (Gemma3TextConfig's default)");
        int maxpos = maxPositionEmbeddings("max_position_embeddings");
        ConfigNode dicts = node.object("rope_parameters", "an object with one rope dict per layer type")
                .orElse(node.empty("rope_parameters"));
        // convert_rope_params_to_dict: a missing full_attention dict is {"rope_type": "default"}, and rope_scaling is
        // merged into it, so a v4 rope_scaling's legacy "type" never reaches rope_type.
        ConfigNode full = dicts.has("full_attention") ? layerDict(dicts, "full_attention")
                : layerDict(dicts, "full_attention").withDefaults(Map.of("rope_type", "default"));
        ConfigNode sliding = layerDict(dicts, "sliding_attention");
        Optional<ConfigNode> scaling = node.object("rope_scaling", "an object");
        if (scaling.isPresent()) {
            full = full.updatedWith(scaling.get());
        }
        for (String key : dicts.keys()) {
            if (!key.equals("full_attention") && !key.equals("sliding_attention")) {
                dicts.warn(key, "not a Gemma 3 layer type (full_attention, sliding_attention); ignored");
            }
        }
        Map<String, RopeSpec> specs = new LinkedHashMap<>();
        specs.put("full_attention", parameters.spec(full, headDim, 1.0,
                family.layout(), parameters.theta(full, List.of("rope_theta"), 1_000_000.0), maxpos, true, Set.of()));
        specs.put("sliding_attention", parameters.spec(sliding, headDim, 1.0,
                family.layout(), parameters.theta(sliding, List.of("rope_local_base_freq"),
                        RopeParameters.DEFAULT_THETA), maxpos, true, Set.of()));
        return perLayer(specs);
    }

    /**
     * Gemma 4 ({@code Gemma4TextConfig.__post_init__}): one rope dict per layer type in {@code rope_parameters},
     * defaulting to proportional RoPE (factor 0.25 of the head, base 1e6) for full attention and the default rope
     * (base 1e4) for sliding attention; full-attention layers have {@code global_head_dim} (default 512).
     */
    private RopeEncoding gemma4() {
        OptionalInt sliding = node.integer("head_dim", 1, "a positive integer");
        OptionalInt global = node.integer("global_head_dim", 1, "a positive integer");
        HeadDim slidingDim = new HeadDim(sliding.orElse(256), node, "head_dim",
                sliding.isPresent() ? "" : " (Gemma4TextConfig's default)");
        HeadDim fullDim = new HeadDim(global.orElse(512), node, "global_head_dim",
                global.isPresent() ? "" : " (Gemma4TextConfig's default)");
        int maxpos = maxPositionEmbeddings("max_position_embeddings");
        if (node.has("rope_scaling")) {
            node.warn("rope_scaling", "Gemma4TextConfig has no rope_scaling form (it reads rope_parameters); ignored");
        }
        Optional<ConfigNode> given = node.object("rope_parameters", "an object with one rope dict per layer type");
        ConfigNode dicts = given.orElse(node.empty("rope_parameters"));
        ConfigNode full = layerDict(dicts, "full_attention");
        ConfigNode slidingDict = layerDict(dicts, "sliding_attention");
        if (given.isEmpty()) {
            full = full.withDefaults(Map.of("rope_type", "proportional", "partial_rotary_factor",
                    ConfigNode.number("0.25"), "rope_theta", ConfigNode.number("1000000.0")));
            slidingDict = slidingDict.withDefaults(Map.of("rope_type", "default", "rope_theta",
                    ConfigNode.number("10000.0")));
        }
        for (String key : dicts.keys()) {
            if (!key.equals("full_attention") && !key.equals("sliding_attention")) {
                dicts.warn(key, "not a Gemma 4 layer type (full_attention, sliding_attention); ignored");
            }
        }
        Map<String, RopeSpec> specs = new LinkedHashMap<>();
        specs.put("full_attention", parameters.spec(full, fullDim, 1.0, family.layout(),
                parameters.theta(full, List.of(), RopeParameters.DEFAULT_THETA), maxpos, true, Set.of()));
        specs.put("sliding_attention", parameters.spec(slidingDict, slidingDim, 1.0, family.layout(),
                parameters.theta(slidingDict, List.of(), RopeParameters.DEFAULT_THETA), maxpos, true, Set.of()));
        return perLayer(specs);
    }

    private ConfigNode layerDict(ConfigNode dicts, String layerType) {
        return dicts.object(layerType, "an object with the rope parameters of layer type \"" + layerType + "\"")
                .orElse(dicts.empty(dicts.path(layerType)));
    }

    private static RopeEncoding perLayer(Map<String, RopeSpec> specs) {
        String primary = specs.containsKey("full_attention") ? "full_attention" : specs.keySet().iterator().next();
        Map<String, RopeSpec> others = new LinkedHashMap<>(specs);
        RopeSpec spec = others.remove(primary);
        return new RopeEncoding(spec, Optional.of(primary), others, Optional.empty());
    }

    private Optional<MRopeSection> mrope(ConfigNode dict, int rotaryDim) {
        boolean interleaved = dict.bool("mrope_interleaved", "true or false").orElse(false);
        Optional<List<Object>> list = dict.list("mrope_section", "a list of positive integers");
        if (list.isEmpty()) {
            if (interleaved) {
                dict.warn("mrope_interleaved", "set without mrope_section; ignored");
            }
            return Optional.empty();
        }
        String expected = "a list of positive integers summing to rotary_dim / 2 = " + rotaryDim / 2;
        int[] section = new int[list.get().size()];
        for (int i = 0; i < section.length; i++) {
            if (!(list.get().get(i) instanceof JsonNumber n) || n.value() != Math.rint(n.value()) || n.value() <= 0
                    || n.value() > rotaryDim) {
                throw ConfigException.at(dict.source(), dict.path("mrope_section") + "[" + i + "]",
                        "a positive integer", ConfigNode.render(list.get().get(i)));
            }
            section[i] = (int) n.value();
        }
        if (section.length == 0 || Arrays.stream(section).sum() != rotaryDim / 2) {
            throw dict.error("mrope_section", expected);
        }
        return Optional.of(new MRopeSection(section, interleaved));
    }

    // ---------------------------------------------------------------------------------------------------------
    // geometry
    // ---------------------------------------------------------------------------------------------------------

    /** HF {@code getattr(config, "head_dim", None) or hidden_size // num_attention_heads}. */
    private HeadDim headDim() {
        OptionalInt headDim = node.integer("head_dim", 0, "a positive integer");
        if (headDim.isPresent() && headDim.getAsInt() > 0) {
            return new HeadDim(headDim.getAsInt(), node, "head_dim", "");
        }
        return headDimFromHidden(List.of("hidden_size"), List.of("num_attention_heads"));
    }

    private HeadDim headDimFromHidden(List<String> hiddenKeys, List<String> headsKeys) {
        String hiddenKey = firstPresent(hiddenKeys);
        String headsKey = firstPresent(headsKeys);
        int heads = node.integer(headsKey, 1, "a positive integer")
                .orElseThrow(() -> node.error(headsKey, "a positive integer (the number of attention heads)"));
        int hidden = node.integer(hiddenKey, 1, "a positive integer")
                .orElseThrow(() -> node.error(hiddenKey, "a positive integer (the hidden size)"));
        if (hidden % heads != 0) {
            throw node.error(hiddenKey, "a multiple of " + headsKey + " = " + heads + " (head_dim is not set)");
        }
        return new HeadDim(hidden / heads, node, hiddenKey, " (" + hiddenKey + " / " + headsKey + ")");
    }

    private String firstPresent(List<String> keys) {
        for (String key : keys) {
            if (node.has(key)) {
                return key;
            }
        }
        return keys.getFirst();
    }

    private int maxPositionEmbeddings(String... keys) {
        for (String key : keys) {
            if (node.has(key)) {
                return node.integer(key, 1, "a positive integer").getAsInt();
            }
        }
        OptionalInt fallback = ModelFamily.defaultMaxPositionEmbeddings(modelType);
        if (fallback.isEmpty()) {
            throw node.error(keys[0], "a positive integer (the context length)");
        }
        node.warn(keys[0], "not set; using " + fallback.getAsInt() + ", the default of Hugging Face's config for \""
                + modelType + "\"");
        return fallback.getAsInt();
    }

    /** {@code rotary_dim} keys (GPT-J, MixFormer): even, {@code 2 <= rotary_dim <= head_dim}. */
    private int rotaryDimKey(int headDim, int defaultValue) {
        if (node.containsNull("rotary_dim")) {
            throw node.error("rotary_dim", "an even integer in [2, " + headDim + "]");
        }
        int rotaryDim = node.integer("rotary_dim", 2, "an even integer in [2, " + headDim + "]").orElse(defaultValue);
        if (rotaryDim % 2 != 0 || rotaryDim > headDim) {
            throw node.error("rotary_dim", "an even integer in [2, " + headDim + "]");
        }
        return rotaryDim;
    }

    private void ignoredByModelCode(String... keys) {
        for (String key : keys) {
            if (node.has(key) && !(node.raw(key) instanceof Map<?, ?> m && m.isEmpty())) {
                node.warn(key, "the " + modelType + " model code does not read it; ignored");
            }
        }
    }

    /** A spec built from top-level keys; a {@code RopeParameterException} is reported at {@code key}. */
    private RopeSpec checked(Supplier<RopeSpec> build, String key) {
        try {
            return build.get();
        } catch (RopeParameterException e) {
            String at = e.parameter().equals("head_dim") || e.parameter().equals("rotary_dim") ? "head_dim" : key;
            throw ConfigException.at(node.source(), node.path(at), e.expected(),
                    node.has(at) ? ConfigNode.render(node.raw(at)) : e.actual());
        }
    }
}
