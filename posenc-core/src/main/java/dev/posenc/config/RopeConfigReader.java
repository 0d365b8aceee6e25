package dev.posenc.config;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RopeType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the RoPE of one config object into {@link RopeSpec}s, the way Hugging Face v5 standardizes and validates
 * it ({@code RotaryEmbeddingConfigMixin.convert_rope_params_to_dict}, {@code standardize_rope_params},
 * {@code validate_rope}, {@code _check_received_keys}, {@code _validate_*_rope_parameters}).
 *
 * <p>Standardization, in HF's order of priority:
 * <ol>
 *   <li>the rope dict is {@code rope_scaling or rope_parameters} (v4 and v5 forms; an empty dict counts as absent);
 *   <li>{@code rope_type} falls back to {@code type}, then {@code "default"};
 *   <li>{@code rope_theta} and {@code partial_rotary_factor} inside the dict win over the top-level keys (and the
 *       family's own keys, e.g. GPT-NeoX {@code rotary_emb_base}/{@code rotary_pct}), which win over the defaults;
 *   <li>for llama3, yarn and longrope a top-level {@code original_max_position_embeddings} wins over the dict's,
 *       which defaults to {@code max_position_embeddings};
 *   <li>a dict whose keys are all {@code layer_types} names holds one rope dict per layer type.
 * </ol>
 * Validation: a missing required key is an error (HF raises {@code KeyError}); values that make the math undefined
 * are errors (non-numbers, NaN/Infinity, θ &lt;= 0, factor &lt; 1, llama3 {@code high_freq_factor <= low_freq_factor},
 * factor lists of the wrong length, odd rotary dimensions, {@code partial_rotary_factor} outside (0, 1], negative
 * {@code beta_fast}/{@code beta_slow}, non-positive {@code attention_factor}); what HF only warns about (unrecognized
 * keys, {@code beta_fast < beta_slow}, a yarn factor different from {@code max_position_embeddings / L0}, llama3
 * {@code L0 >= max_position_embeddings} or non-integer) becomes a warning. Non-integral lengths are errors (HF would
 * only warn for llama3).
 */
final class RopeConfigReader {
    private static final double DEFAULT_THETA = 10_000.0;
    private static final String TYPES = Arrays.stream(RopeType.values()).map(t -> "\"" + t.id() + "\"")
            .collect(Collectors.joining(", "));
    private static final Set<String> ALWAYS_ALLOWED = Set.of("rope_type", "type", "partial_rotary_factor", "rope_theta");
    private static final Set<String> MROPE_KEYS = Set.of("mrope_section", "mrope_interleaved");

    private final ConfigNode node;
    private final ModelFamily family;
    private final String modelType;

    private RopeConfigReader(ConfigNode node, ModelFamily family, String modelType) {
        this.node = node;
        this.family = family;
        this.modelType = modelType;
    }

    /** The RoPE of {@code node}, a config (or {@code text_config}) object of a RoPE family. */
    static RopeEncoding read(ConfigNode node, ModelFamily family, String modelType) {
        RopeConfigReader reader = new RopeConfigReader(node, family, modelType);
        return switch (family) {
            case GPTJ -> reader.gptj();
            case MIXFORMER -> reader.mixformer();
            case CHATGLM -> reader.chatglm();
            case STABLELM_EPOCH -> reader.stablelmEpoch();
            case GEMMA3 -> reader.gemma3();
            default -> reader.standard();
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // families
    // ---------------------------------------------------------------------------------------------------------

    /** Every family that uses HF's standard rope dict. */
    private RopeEncoding standard() {
        ConfigNode dict = ropeDict();
        int maxpos = maxPositionEmbeddings("max_position_embeddings");
        int headDim = switch (family) {
            case DEEPSEEK -> node.integer("qk_rope_head_dim", 1, "a positive integer").orElse(64);
            case FALCON -> headDimFromHidden(List.of("hidden_size", "n_embed"), List.of("num_attention_heads", "n_head"));
            case GPT_NEOX -> headDimFromHidden(List.of("hidden_size"), List.of("num_attention_heads"));
            default -> headDim();
        };
        RopeLayout layout = family.layout();
        if (modelType.equals("deepseek_v3")
                && !node.bool("rope_interleave", "true or false").orElse(true)) {
            layout = RopeLayout.HALF;
        }
        List<String> thetaKeys = family == ModelFamily.GPT_NEOX ? List.of("rotary_emb_base") : List.of("rope_theta");
        List<String> prfKeys = family == ModelFamily.GPT_NEOX ? List.of("rotary_pct", "partial_rotary_factor")
                : List.of("partial_rotary_factor");
        Set<String> extraKeys = family == ModelFamily.QWEN_VL ? MROPE_KEYS : Set.of();

        Optional<List<String>> layerTypes = layerTypes();
        if (layerTypes.isPresent() && !dict.isEmpty() && layerTypes.get().containsAll(dict.keys())) {
            Map<String, RopeSpec> specs = new LinkedHashMap<>();
            for (String layerType : dict.keys()) {
                ConfigNode layerDict = dict.object(layerType, "an object with the rope parameters of layer type \""
                        + layerType + "\"").orElseThrow(() -> dict.error(layerType, "an object"));
                Sourced theta = sourced(layerDict, "rope_theta", thetaKeys, DEFAULT_THETA);
                Sourced prf = sourced(layerDict, "partial_rotary_factor", prfKeys, family.defaultPartialRotaryFactor());
                specs.put(layerType, spec(layerDict, headDim, prf, layout, theta, maxpos, true, extraKeys));
            }
            return perLayer(specs);
        }
        Sourced theta = sourced(dict, "rope_theta", thetaKeys, DEFAULT_THETA);
        Sourced prf = sourced(dict, "partial_rotary_factor", prfKeys, family.defaultPartialRotaryFactor());
        if (family == ModelFamily.GPT_NEOX) {
            OptionalDouble ignored = node.number("rope_theta", "a number > 0");
            if (ignored.isPresent() && ignored.getAsDouble() != theta.value()) {
                node.warn("rope_theta", "GPTNeoXConfig reads rotary_emb_base (" + ConfigNode.format(theta.value())
                        + " here), not rope_theta; ignored");
            }
        }
        RopeSpec spec = spec(dict, headDim, prf, layout, theta, maxpos, false, extraKeys);
        Optional<MRopeSection> mrope = family == ModelFamily.QWEN_VL
                ? mrope(dict, spec.rotaryDim()) : Optional.empty();
        return new RopeEncoding(spec, Optional.empty(), Map.of(), mrope);
    }

    /** GPT-J / CodeGen: {@code create_sinusoidal_positions(n_positions, rotary_dim)}, base fixed at 10000. */
    private RopeEncoding gptj() {
        int headDim = headDimFromHidden(List.of("n_embd", "hidden_size"), List.of("n_head", "num_attention_heads"));
        int maxpos = maxPositionEmbeddings("n_positions", "max_position_embeddings");
        int rotaryDim = rotaryDimKey(headDim, 64);
        ignoredByModelCode("rope_theta", "rope_scaling", "rope_parameters");
        return RopeEncoding.of(new RopeSpec(headDim, rotaryDim, family.layout(), DEFAULT_THETA, maxpos,
                new RopeScaling.Default()));
    }

    /** MixFormer (early phi): {@code RotaryEmbedding(rotary_dim)} with base 10000, half layout. */
    private RopeEncoding mixformer() {
        int headDim = headDimFromHidden(List.of("n_embd"), List.of("n_head"));
        int maxpos = maxPositionEmbeddings("n_positions");
        int rotaryDim = rotaryDimKey(headDim, 32);
        ignoredByModelCode("rope_theta", "rope_scaling", "rope_parameters");
        return RopeEncoding.of(new RopeSpec(headDim, rotaryDim, family.layout(), DEFAULT_THETA, maxpos,
                new RopeScaling.Default()));
    }

    /** ChatGLM2/3: {@code RotaryEmbedding(kv_channels // 2)}, base {@code 10000 * rope_ratio}, interleaved. */
    private RopeEncoding chatglm() {
        OptionalInt kvChannels = node.integer("kv_channels", 1, "a positive integer");
        int headDim = kvChannels.isPresent() ? kvChannels.getAsInt()
                : headDimFromHidden(List.of("hidden_size"), List.of("num_attention_heads"));
        int rotaryDim = headDim / 2;
        if (rotaryDim < 2 || rotaryDim % 2 != 0) {
            throw kvChannels.isPresent()
                    ? node.error("kv_channels", "a multiple of 4 (half the head rotates, in pairs)")
                    : node.error("hidden_size", "a head size that is a multiple of 4 (half the head rotates, in pairs)");
        }
        double ratio = node.number("rope_ratio", "a number > 0").orElse(1);
        if (!(ratio > 0)) {
            throw node.error("rope_ratio", "a number > 0");
        }
        int maxpos = maxPositionEmbeddings("seq_length", "max_position_embeddings");
        ignoredByModelCode("rope_theta", "rope_scaling", "rope_parameters");
        return RopeEncoding.of(new RopeSpec(headDim, rotaryDim, family.layout(), DEFAULT_THETA * ratio, maxpos,
                new RopeScaling.Default()));
    }

    /** StableLM-Epoch remote code: {@code rotary_ndims = int(head_dim * rope_pct)}, base {@code rope_theta}. */
    private RopeEncoding stablelmEpoch() {
        int headDim = headDimFromHidden(List.of("hidden_size"), List.of("num_attention_heads"));
        int maxpos = maxPositionEmbeddings("max_position_embeddings");
        Sourced prf = sourced(node.empty("rope_scaling"), "partial_rotary_factor", List.of("rope_pct"),
                family.defaultPartialRotaryFactor());
        Sourced theta = sourced(node.empty("rope_scaling"), "rope_theta", List.of("rope_theta"), DEFAULT_THETA);
        double rotaryScaling = node.number("rotary_scaling_factor", "a number").orElse(1);
        if (rotaryScaling != 1) {
            node.warn("rotary_scaling_factor", "StableLM-Epoch's model code never reads it; ignored");
        }
        ignoredByModelCode("rope_scaling", "rope_parameters");
        int rotaryDim = rotaryDim(headDim, prf);
        return RopeEncoding.of(new RopeSpec(headDim, rotaryDim, family.layout(), theta.positive(), maxpos,
                new RopeScaling.Default()));
    }

    /**
     * Gemma 3 ({@code Gemma3TextConfig.convert_rope_params_to_dict}): per-layer-type dicts, {@code rope_scaling}
     * merged into {@code full_attention}, default bases 1e6 (global) and 1e4 (local, {@code rope_local_base_freq}).
     */
    private RopeEncoding gemma3() {
        int headDim = node.integer("head_dim", 1, "a positive integer").orElse(256);
        int maxpos = maxPositionEmbeddings("max_position_embeddings");
        ConfigNode parameters = node.object("rope_parameters", "an object with one rope dict per layer type")
                .orElse(node.empty("rope_parameters"));
        ConfigNode full = layerDict(parameters, "full_attention");
        ConfigNode sliding = layerDict(parameters, "sliding_attention");
        Optional<ConfigNode> scaling = node.object("rope_scaling", "an object");
        if (scaling.isPresent()) {
            full = full.updatedWith(scaling.get());
        }
        for (String key : parameters.keys()) {
            if (!key.equals("full_attention") && !key.equals("sliding_attention")) {
                parameters.warn(key, "not a Gemma 3 layer type (full_attention, sliding_attention); ignored");
            }
        }
        Sourced prfFull = sourced(full, "partial_rotary_factor", List.of("partial_rotary_factor"), 1.0);
        Sourced prfSliding = sourced(sliding, "partial_rotary_factor", List.of("partial_rotary_factor"), 1.0);
        Map<String, RopeSpec> specs = new LinkedHashMap<>();
        specs.put("full_attention", spec(full, headDim, prfFull, family.layout(),
                sourced(full, "rope_theta", List.of("rope_theta"), 1_000_000.0), maxpos, true, Set.of()));
        specs.put("sliding_attention", spec(sliding, headDim, prfSliding, family.layout(),
                sourced(sliding, "rope_theta", List.of("rope_local_base_freq"), DEFAULT_THETA), maxpos, true,
                Set.of()));
        return perLayer(specs);
    }

    private ConfigNode layerDict(ConfigNode parameters, String layerType) {
        return parameters.object(layerType, "an object with the rope parameters of layer type \"" + layerType + "\"")
                .orElse(parameters.empty(parameters.path(layerType)));
    }

    private static RopeEncoding perLayer(Map<String, RopeSpec> specs) {
        String primary = specs.containsKey("full_attention") ? "full_attention" : specs.keySet().iterator().next();
        Map<String, RopeSpec> others = new LinkedHashMap<>(specs);
        RopeSpec spec = others.remove(primary);
        return new RopeEncoding(spec, Optional.of(primary), others, Optional.empty());
    }

    // ---------------------------------------------------------------------------------------------------------
    // the rope dict
    // ---------------------------------------------------------------------------------------------------------

    /** HF v5: {@code self.rope_parameters = rope_scaling or self.rope_parameters}. */
    private ConfigNode ropeDict() {
        Optional<ConfigNode> scaling = node.object("rope_scaling", "an object (or null)");
        Optional<ConfigNode> parameters = node.object("rope_parameters", "an object (or null)");
        boolean hasScaling = scaling.isPresent() && !scaling.get().isEmpty();
        boolean hasParameters = parameters.isPresent() && !parameters.get().isEmpty();
        if (hasScaling && hasParameters) {
            node.warn("rope_scaling", "both rope_scaling and rope_parameters are set; Hugging Face uses rope_scaling");
        }
        if (hasScaling) {
            return scaling.get();
        }
        if (hasParameters) {
            return parameters.get();
        }
        return node.empty("rope_scaling");
    }

    private Optional<List<String>> layerTypes() {
        Optional<List<Object>> list = node.list("layer_types", "a list of layer type names");
        if (list.isEmpty()) {
            return Optional.empty();
        }
        Set<String> names = new LinkedHashSet<>();
        for (Object o : list.get()) {
            if (!(o instanceof String s)) {
                throw node.error("layer_types", "a list of layer type names (strings)");
            }
            names.add(s);
        }
        return Optional.of(List.copyOf(names));
    }

    /** One rope dict (the model's, or one layer type's) into a spec. */
    private RopeSpec spec(ConfigNode dict, int headDim, Sourced prf, RopeLayout layout, Sourced theta, int maxpos,
                          boolean perLayer, Set<String> extraKeys) {
        RopeType type = ropeType(dict);
        double ropeTheta = theta.positive();
        int rotaryDim = type == RopeType.PROPORTIONAL ? headDim : rotaryDim(headDim, prf);
        RopeScaling scaling = switch (type) {
            case DEFAULT -> {
                checkKeys(dict, type, Set.of(), Set.of(), extraKeys);
                yield new RopeScaling.Default();
            }
            case LINEAR -> {
                checkKeys(dict, type, Set.of("factor"), Set.of(), extraKeys);
                yield new RopeScaling.Linear(requiredFactor(dict, type));
            }
            case DYNAMIC -> {
                checkKeys(dict, type, Set.of("factor"), Set.of(), extraKeys);
                requireRotaryAbove2(rotaryDim, prf, type);
                yield new RopeScaling.Dynamic(requiredFactor(dict, type));
            }
            case NTK -> {
                checkKeys(dict, type, Set.of("factor"), Set.of(), extraKeys);
                requireRotaryAbove2(rotaryDim, prf, type);
                dict.warn("rope_type", "\"ntk\" (static NTK-aware scaling) is a posenc extension; Hugging Face "
                        + "transformers cannot load this config");
                yield new RopeScaling.Ntk(requiredFactor(dict, type));
            }
            case YARN -> yarn(dict, ropeTheta, theta, maxpos, perLayer, extraKeys);
            case LONGROPE -> longrope(dict, rotaryDim, maxpos, perLayer, extraKeys);
            case LLAMA3 -> llama3(dict, maxpos, perLayer, extraKeys);
            case PROPORTIONAL -> {
                checkKeys(dict, type, Set.of(), Set.of("factor"), extraKeys);
                if (headDim % 2 != 0) {
                    throw oddHead(headDim);
                }
                if (prf.isDefault()) {
                    dict.warn("partial_rotary_factor", "not set, so proportional RoPE rotates the whole head "
                            + "(Hugging Face warns too: this is linear scaling)");
                }
                double factor = dict.has("factor") ? factorAtLeastOne(dict) : 1.0;
                yield new RopeScaling.Proportional(factor, prf.fraction());
            }
        };
        return new RopeSpec(headDim, rotaryDim, layout, ropeTheta, maxpos, scaling);
    }

    /** {@code rope_type}, falling back to {@code type} and {@code "default"}, with the aliases of published configs. */
    private RopeType ropeType(ConfigNode dict) {
        Optional<String> ropeType = dict.string("rope_type", "a rope type name (" + TYPES + ")");
        Optional<String> type = dict.string("type", "a rope type name (" + TYPES + ")");
        String key = ropeType.isPresent() ? "rope_type" : "type";
        String name = ropeType.or(() -> type).orElse("default");
        if (ropeType.isPresent() && type.isPresent() && !ropeType.get().equals(type.get())) {
            dict.warn("type", "differs from rope_type \"" + ropeType.get() + "\"; rope_type is used");
        }
        if (name.equals("su")) {
            if (family != ModelFamily.PHI3) {
                dict.warn(key, "\"su\" is the old name of \"longrope\"; read as longrope");
            }
            name = RopeType.LONGROPE.id();
        } else if (name.equals("mrope")) {
            if (family != ModelFamily.QWEN_VL) {
                dict.warn(key, "\"mrope\" is Qwen2-VL's old name of \"default\"; read as default");
            }
            name = RopeType.DEFAULT.id();
        } else if (name.equals("yarn") && family == ModelFamily.PHI3) {
            dict.warn(key, "Phi3Config turns rope_type \"yarn\" into \"longrope\"; read as longrope");
            name = RopeType.LONGROPE.id();
        }
        String finalName = name;
        return RopeType.byId(name).orElseThrow(() -> dict.has(key)
                ? dict.error(key, "one of " + TYPES)
                : ConfigException.at(node.source(), dict.path(key), "one of " + TYPES, "\"" + finalName + "\""));
    }

    /** HF {@code _check_received_keys}: missing required keys are errors, unknown keys warnings. */
    private void checkKeys(ConfigNode dict, RopeType type, Set<String> required, Set<String> optional,
                           Set<String> extraKeys) {
        for (String key : required) {
            if (!dict.keys().contains(key)) {
                throw ConfigException.at(node.source(), dict.path(key), "a value (required for rope_type \""
                        + type.id() + "\")", "nothing");
            }
        }
        Set<String> unknown = new TreeSet<>(dict.keys());
        unknown.removeAll(required);
        unknown.removeAll(optional);
        unknown.removeAll(ALWAYS_ALLOWED);
        unknown.removeAll(extraKeys);
        if (!unknown.isEmpty()) {
            String where = dict.prefix().isEmpty() ? "rope parameters" : dict.prefix();
            node.warn(where + ": unrecognized keys for rope_type \"" + type.id() + "\" (Hugging Face ignores them): "
                    + String.join(", ", unknown));
        }
    }

    private RopeScaling.Yarn yarn(ConfigNode dict, double ropeTheta, Sourced theta, int maxpos, boolean perLayer,
                                  Set<String> extraKeys) {
        checkKeys(dict, RopeType.YARN, Set.of("factor"), Set.of("attention_factor", "beta_fast", "beta_slow",
                "mscale", "mscale_all_dim", "truncate", "original_max_position_embeddings"), extraKeys);
        if (ropeTheta == 1) {
            throw theta.error("a number > 0 other than 1 (YaRN divides by ln θ)");
        }
        int l0 = originalMaxPositionEmbeddings(dict, maxpos, perLayer);
        double factor;
        if (dict.containsNull("factor")) {
            factor = (double) maxpos / l0;
            if (factor < 1) {
                throw dict.error("factor", "a number >= 1 (null stands for max_position_embeddings / "
                        + "original_max_position_embeddings = " + ConfigNode.format(factor) + ")");
            }
            dict.warn("factor", "null; Hugging Face uses max_position_embeddings / original_max_position_embeddings = "
                    + ConfigNode.format(factor));
        } else {
            factor = factorAtLeastOne(dict);
        }
        double betaFast = beta(dict, "beta_fast", 32);
        double betaSlow = beta(dict, "beta_slow", 1);
        if (betaFast < betaSlow) {
            dict.warn("beta_fast", "should be greater than beta_slow, got beta_fast=" + ConfigNode.format(betaFast)
                    + " and beta_slow=" + ConfigNode.format(betaSlow));
        }
        boolean truncate = dict.bool("truncate", "true or false").orElse(true);
        if (perLayer && !truncate) {
            dict.warn("truncate", "Hugging Face reads truncate from the top level of rope_parameters, not from a "
                    + "layer type's dict, so it truncates anyway; so does posenc");
            truncate = true;
        }
        OptionalDouble attentionFactor = dict.number("attention_factor", "a number > 0");
        if (attentionFactor.isPresent() && !(attentionFactor.getAsDouble() > 0)) {
            throw dict.error("attention_factor", "a number > 0");
        }
        double mscale = dict.number("mscale", "a number").orElse(0);
        double mscaleAllDim = dict.number("mscale_all_dim", "a number").orElse(0);
        double implicitFactor = (double) maxpos / l0;
        if (implicitFactor != factor && implicitFactor != 1) {
            dict.warn("factor", ConfigNode.format(factor) + " differs from max_position_embeddings / "
                    + "original_max_position_embeddings = " + ConfigNode.format(implicitFactor)
                    + "; the explicit factor is used, as in Hugging Face");
        }
        return new RopeScaling.Yarn(factor, l0, betaFast, betaSlow, truncate, attentionFactor, mscale, mscaleAllDim);
    }

    /** {@code get(key) or default}: absent, null and 0 give the default (Python truthiness); negative is an error. */
    private static double beta(ConfigNode dict, String key, double defaultValue) {
        OptionalDouble v = dict.number(key, "a number > 0");
        if (v.isEmpty() || v.getAsDouble() == 0) {
            if (v.isPresent()) {
                dict.warn(key, "0 means the default " + ConfigNode.format(defaultValue) + " (Hugging Face reads "
                        + key + " with `or " + ConfigNode.format(defaultValue) + "`)");
            }
            return defaultValue;
        }
        if (v.getAsDouble() < 0) {
            throw dict.error(key, "a number > 0");
        }
        return v.getAsDouble();
    }

    private RopeScaling.LongRope longrope(ConfigNode dict, int rotaryDim, int maxpos, boolean perLayer,
                                          Set<String> extraKeys) {
        checkKeys(dict, RopeType.LONGROPE, Set.of("short_factor", "long_factor"),
                Set.of("attention_factor", "factor", "original_max_position_embeddings"), extraKeys);
        int l0 = originalMaxPositionEmbeddings(dict, maxpos, perLayer);
        float[] shortFactor = factorList(dict, "short_factor", rotaryDim / 2);
        float[] longFactor = factorList(dict, "long_factor", rotaryDim / 2);
        double factor;
        if (dict.has("factor")) {
            factor = factorAtLeastOne(dict);
        } else {
            // HF v5 (and v4 Phi-3): the implicit factor is the context extension, used for the attention factor.
            factor = (double) maxpos / l0;
        }
        OptionalDouble attentionFactor = dict.number("attention_factor", "a number > 0");
        if (attentionFactor.isPresent() && !(attentionFactor.getAsDouble() > 0)) {
            throw dict.error("attention_factor", "a number > 0");
        }
        return new RopeScaling.LongRope(shortFactor, longFactor, l0, factor, attentionFactor);
    }

    private static float[] factorList(ConfigNode dict, String key, int pairs) {
        String expected = "a list of " + pairs + " numbers > 0 (rotary_dim / 2)";
        double[] values = dict.numbers(key, expected).orElseThrow(() -> dict.error(key, expected));
        if (values.length != pairs) {
            throw dict.error(key, expected);
        }
        float[] out = new float[pairs];
        for (int i = 0; i < pairs; i++) {
            if (!(values[i] > 0)) {
                throw ConfigException.at(dict.source(), dict.path(key) + "[" + i + "]", "a number > 0",
                        ConfigNode.format(values[i]));
            }
            out[i] = (float) values[i];
        }
        return out;
    }

    private RopeScaling.Llama3 llama3(ConfigNode dict, int maxpos, boolean perLayer, Set<String> extraKeys) {
        checkKeys(dict, RopeType.LLAMA3, Set.of("factor", "low_freq_factor", "high_freq_factor"),
                Set.of("original_max_position_embeddings"), extraKeys);
        double factor = requiredFactor(dict, RopeType.LLAMA3);
        double low = positive(dict, "low_freq_factor");
        double high = positive(dict, "high_freq_factor");
        if (!(high > low)) {
            throw dict.error("high_freq_factor", "a number > low_freq_factor (" + ConfigNode.format(low) + ")");
        }
        int l0 = originalMaxPositionEmbeddings(dict, maxpos, perLayer);
        if (l0 >= maxpos) {
            dict.warn("original_max_position_embeddings", l0 + " should be less than max_position_embeddings "
                    + maxpos);
        }
        return new RopeScaling.Llama3(factor, low, high, l0);
    }

    private static double positive(ConfigNode dict, String key) {
        OptionalDouble v = dict.number(key, "a number > 0");
        if (v.isEmpty() || !(v.getAsDouble() > 0)) {
            throw dict.error(key, "a number > 0");
        }
        return v.getAsDouble();
    }

    private static double requiredFactor(ConfigNode dict, RopeType type) {
        if (!dict.has("factor")) {
            throw dict.error("factor", "a number >= 1 (required for rope_type \"" + type.id() + "\")");
        }
        return factorAtLeastOne(dict);
    }

    private static double factorAtLeastOne(ConfigNode dict) {
        double f = dict.number("factor", "a number >= 1").orElseThrow();
        if (!(f >= 1)) {
            throw dict.error("factor", "a number >= 1");
        }
        return f;
    }

    /**
     * {@code original_max_position_embeddings} after {@code standardize_rope_params}: the top-level key wins (Phi-3
     * keeps it there; Phi3Config defaults it to 4096), then the dict's, then {@code max_position_embeddings}. For a
     * layer type's dict HF does not look at the top level.
     */
    private int originalMaxPositionEmbeddings(ConfigNode dict, int maxpos, boolean perLayer) {
        String key = "original_max_position_embeddings";
        String expected = "a positive integer";
        OptionalInt inDict = dict.integer(key, 1, expected);
        OptionalInt top = perLayer ? OptionalInt.empty() : node.integer(key, 1, expected);
        if (!perLayer && top.isEmpty() && family == ModelFamily.PHI3) {
            node.warn(key, "not set; Phi3Config's default 4096 is used");
            top = OptionalInt.of(4096);
        }
        if (top.isPresent()) {
            if (inDict.isPresent() && inDict.getAsInt() != top.getAsInt()) {
                dict.warn(key, inDict.getAsInt() + " is overridden by the top-level original_max_position_embeddings "
                        + top.getAsInt() + ", as in Hugging Face");
            }
            return top.getAsInt();
        }
        if (inDict.isPresent()) {
            if (!dict.isIntegerLiteral(key)) {
                dict.warn(key, "should be an integer, got " + ConfigNode.render(dict.raw(key)));
            }
            return inDict.getAsInt();
        }
        return maxpos;
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
    private int headDim() {
        OptionalInt headDim = node.integer("head_dim", 0, "a positive integer");
        if (headDim.isPresent() && headDim.getAsInt() > 0) {
            return headDim.getAsInt();
        }
        return headDimFromHidden(List.of("hidden_size"), List.of("num_attention_heads"));
    }

    private int headDimFromHidden(List<String> hiddenKeys, List<String> headsKeys) {
        String hiddenKey = firstPresent(hiddenKeys);
        String headsKey = firstPresent(headsKeys);
        int heads = node.integer(headsKey, 1, "a positive integer")
                .orElseThrow(() -> node.error(headsKey, "a positive integer (the number of attention heads)"));
        int hidden = node.integer(hiddenKey, 1, "a positive integer")
                .orElseThrow(() -> node.error(hiddenKey, "a positive integer (the hidden size)"));
        if (hidden % heads != 0) {
            throw node.error(hiddenKey, "a multiple of " + headsKey + " = " + heads + " (head_dim is not set)");
        }
        return hidden / heads;
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

    /** HF {@code dim = int(head_dim * partial_rotary_factor)}, which must be even and at least 2. */
    private int rotaryDim(int headDim, Sourced prf) {
        double fraction = prf.fraction();
        int rotaryDim = (int) (headDim * fraction);
        if (rotaryDim < 2 || rotaryDim % 2 != 0) {
            String expected = "a value giving an even rotary dimension >= 2 (int(head_dim " + headDim + " * "
                    + ConfigNode.format(fraction) + ") = " + rotaryDim + ")";
            throw prf.isDefault() ? oddHead(headDim) : prf.error(expected);
        }
        return rotaryDim;
    }

    private ConfigException oddHead(int headDim) {
        String origin = node.has("head_dim") ? "" : " (hidden_size / num_attention_heads)";
        return ConfigException.at(node.source(), node.path("head_dim"), "an even number of rotated dimensions",
                headDim + origin);
    }

    private void requireRotaryAbove2(int rotaryDim, Sourced prf, RopeType type) {
        if (rotaryDim <= 2) {
            throw prf.isDefault()
                    ? ConfigException.at(node.source(), node.path("head_dim"), "more than 2 (rope_type \""
                            + type.id() + "\" divides by d - 2)", String.valueOf(rotaryDim))
                    : prf.error("a value giving a rotary dimension > 2 (rope_type \"" + type.id()
                            + "\" divides by d - 2)");
        }
    }

    private void ignoredByModelCode(String... keys) {
        for (String key : keys) {
            if (node.has(key) && !(node.raw(key) instanceof Map<?, ?> m && m.isEmpty())) {
                node.warn(key, "the " + modelType + " model code does not read it; ignored");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // values with their origin
    // ---------------------------------------------------------------------------------------------------------

    /**
     * {@code key} of the rope dict, else the first of {@code topKeys} present at the top level, else the default;
     * a top-level value that differs from the dict's is warned about (HF keeps the dict's, {@code setdefault}).
     */
    private Sourced sourced(ConfigNode dict, String key, List<String> topKeys, double defaultValue) {
        String expected = key.equals("rope_theta") ? "a number > 0" : "a number in (0, 1]";
        OptionalDouble inDict = dict.number(key, expected);
        for (int k = 0; k < topKeys.size(); k++) {
            String topKey = topKeys.get(k);
            OptionalDouble top = node.number(topKey, expected);
            if (top.isEmpty()) {
                continue;
            }
            for (String later : topKeys.subList(k + 1, topKeys.size())) {
                OptionalDouble other = node.number(later, expected);
                if (other.isPresent() && other.getAsDouble() != top.getAsDouble()) {
                    node.warn(later, ConfigNode.format(other.getAsDouble()) + " differs from " + node.path(topKey)
                            + " " + ConfigNode.format(top.getAsDouble()) + "; " + topKey + " is used");
                }
            }
            if (inDict.isPresent()) {
                if (inDict.getAsDouble() != top.getAsDouble()) {
                    dict.warn(key, ConfigNode.format(inDict.getAsDouble()) + " differs from " + node.path(topKey) + " "
                            + ConfigNode.format(top.getAsDouble()) + "; the rope dict's value is used, as in "
                            + "Hugging Face");
                }
                return new Sourced(inDict.getAsDouble(), dict, key);
            }
            return new Sourced(top.getAsDouble(), node, topKey);
        }
        if (inDict.isPresent()) {
            return new Sourced(inDict.getAsDouble(), dict, key);
        }
        return new Sourced(defaultValue, null, null);
    }

    /** A number and where it came from (null for a default), so that errors can name the key. */
    private record Sourced(double value, ConfigNode origin, String key) {
        boolean isDefault() {
            return origin == null;
        }

        ConfigException error(String expected) {
            return origin.error(key, expected);
        }

        double positive() {
            if (!(value > 0)) {
                throw error("a number > 0");
            }
            return value;
        }

        double fraction() {
            if (!(value > 0 && value <= 1)) {
                throw error("a number in (0, 1]");
            }
            return value;
        }
    }
}
