package dev.posenc.config;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopeParameterException;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RopeType;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The rope-parameter dict of one config object, standardized and validated the way Hugging Face transformers v5
 * does it in {@code modeling_rope_utils.py} ({@code RotaryEmbeddingConfigMixin.convert_rope_params_to_dict},
 * {@code standardize_rope_params}, {@code validate_rope}, {@code _check_received_keys},
 * {@code _validate_*_rope_parameters}), turned into a {@link RopeSpec}. The families and their geometry are
 * {@link RopeFamilies}' job; the numeric rules are the {@link RopeSpec} and {@link RopeScaling} records' (whose
 * {@link RopeParameterException}s this class rethrows with the key path in the file).
 *
 * <p>Standardization, in HF's order of priority:
 * <ol>
 *   <li>the dict is {@code rope_scaling or rope_parameters}: a v4 {@code rope_scaling} replaces a v5
 *       {@code rope_parameters} whole (its {@code rope_theta} is lost, and warned about);
 *   <li>{@code rope_type} falls back to {@code type}, then {@code "default"};
 *   <li>{@code rope_theta} inside the dict wins over the top-level key ({@code setdefault}), which wins over the
 *       default 10000;
 *   <li>a top-level {@code partial_rotary_factor} wins over the dict's ({@code standardize_rope_params} assigns it
 *       and runs again when the config is built); GPT-NeoX's config instead sets the dict's default from
 *       {@code rotary_pct};
 *   <li>for llama3, yarn and longrope a top-level {@code original_max_position_embeddings} wins over the dict's,
 *       which defaults to {@code max_position_embeddings};
 *   <li>a dict whose keys are all {@code layer_types} names holds one rope dict per layer type.
 * </ol>
 * Validation: a missing required key is an error (HF raises {@code KeyError}), as are values the math cannot use
 * (non-numbers, values that are 0 or infinite in float32, derived frequencies or attention factors that would not be
 * finite); what HF only warns about (unrecognized keys, factors below 1, {@code beta_fast < beta_slow}, llama3
 * {@code high_freq_factor <= low_freq_factor}, a yarn factor different from {@code max_position_embeddings / L0},
 * llama3 {@code L0 >= max_position_embeddings}) is computed as HF computes it, with a warning.
 */
final class RopeParameters {
    static final double DEFAULT_THETA = 10_000.0;
    private static final String TYPES = Arrays.stream(RopeType.values()).map(t -> "\"" + t.id() + "\"")
            .collect(Collectors.joining(", "));
    private static final Set<String> ALWAYS_ALLOWED = Set.of("rope_type", "type", "partial_rotary_factor", "rope_theta");

    private final ConfigNode node;
    private final ModelFamily family;
    private final String modelType;

    RopeParameters(ConfigNode node, ModelFamily family, String modelType) {
        this.node = node;
        this.family = family;
        this.modelType = modelType;
    }

    // ---------------------------------------------------------------------------------------------------------
    // standardization
    // ---------------------------------------------------------------------------------------------------------

    /**
     * HF v5 {@code self.rope_parameters = rope_scaling or self.rope_parameters}: a non-empty {@code rope_scaling}
     * replaces {@code rope_parameters} whole.
     *
     * @param thetaKeys the top-level keys the family reads the base from, for the warning about a dropped base
     */
    ConfigNode dict(List<String> thetaKeys) {
        Optional<ConfigNode> scaling = node.object("rope_scaling", "an object (or null)");
        Optional<ConfigNode> parameters = node.object("rope_parameters", "an object (or null)");
        boolean hasScaling = scaling.isPresent() && !scaling.get().isEmpty();
        boolean hasParameters = parameters.isPresent() && !parameters.get().isEmpty();
        if (hasScaling && hasParameters) {
            Set<String> dropped = new TreeSet<>(parameters.get().keys());
            dropped.removeAll(scaling.get().keys());
            dropped.removeAll(Set.of("rope_type", "type"));
            StringBuilder message = new StringBuilder("replaces rope_parameters whole (Hugging Face: rope_parameters"
                    + " = rope_scaling or rope_parameters)");
            OptionalDouble droppedTheta = dropped.contains("rope_theta")
                    ? parameters.get().number("rope_theta", "a number > 0") : OptionalDouble.empty();
            if (droppedTheta.isPresent()) {
                SourcedValue used = theta(scaling.get(), thetaKeys, DEFAULT_THETA);
                message.append(", so rope_parameters.rope_theta ").append(ConfigNode.format(droppedTheta.getAsDouble()))
                        .append(" is dropped and ").append(ConfigNode.format(used.value())).append(" is used (")
                        .append(used.isDefault() ? "the default" : used.path()).append(")");
                dropped.remove("rope_theta");
            }
            if (!dropped.isEmpty()) {
                message.append(droppedTheta.isPresent() ? "; also dropped: " : "; dropped: ")
                        .append(String.join(", ", dropped));
            }
            node.warn("rope_scaling", message.toString());
        }
        if (hasScaling) {
            return scaling.get();
        }
        if (hasParameters) {
            return parameters.get();
        }
        return node.empty("rope_scaling");
    }

    /** The distinct names of {@code layer_types}, if the config lists them. */
    Optional<List<String>> layerTypes() {
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

    /**
     * {@code rope_theta}: the dict's, else the first of {@code topKeys} present at the top level, else the default
     * ({@code setdefault}: a top-level value that differs from the dict's is warned about).
     */
    SourcedValue theta(ConfigNode dict, List<String> topKeys, double defaultValue) {
        String expected = "a number > 0";
        OptionalDouble inDict = dict.number("rope_theta", expected);
        Optional<SourcedValue> top = firstTopLevel(topKeys, expected);
        if (inDict.isPresent()) {
            if (top.isPresent() && top.get().value() != inDict.getAsDouble()) {
                dict.warn("rope_theta", ConfigNode.format(inDict.getAsDouble()) + " differs from " + top.get().path()
                        + " " + ConfigNode.format(top.get().value()) + "; the rope dict's value is used, as in "
                        + "Hugging Face");
            }
            return new SourcedValue(inDict.getAsDouble(), dict, "rope_theta");
        }
        return top.orElse(SourcedValue.defaultValue(defaultValue));
    }

    /**
     * {@code partial_rotary_factor} as the rotary class sees it. {@code convert_rope_params_to_dict} only
     * {@code setdefault}s the top-level value into the dict, and the config sets leftover keys as attributes after
     * that; the scaled types' {@code _compute_*_parameters} call {@code standardize_rope_params()} again, which
     * assigns the attribute. So for rope type "default" the dict's value wins, for every other type the top-level
     * one. GPT-NeoX's config only {@code setdefault}s the dict's from {@code rotary_pct} and never reads a top-level
     * {@code partial_rotary_factor}.
     */
    private SourcedValue partialRotaryFactor(ConfigNode dict, double defaultValue, RopeType type) {
        String expected = "a number in (0, 1]";
        OptionalDouble inDict = dict.number("partial_rotary_factor", expected);
        Optional<SourcedValue> dictValue = inDict.isPresent()
                ? Optional.of(new SourcedValue(inDict.getAsDouble(), dict, "partial_rotary_factor")) : Optional.empty();
        if (family == ModelFamily.GPT_NEOX) {
            OptionalDouble pct = node.number("rotary_pct", expected);
            if (inDict.isPresent() && pct.isPresent() && pct.getAsDouble() != inDict.getAsDouble()) {
                node.warn("rotary_pct", ConfigNode.format(pct.getAsDouble()) + " differs from "
                        + dict.path("partial_rotary_factor") + " " + ConfigNode.format(inDict.getAsDouble())
                        + "; the rope dict's value is used, as in Hugging Face");
            }
            dictValue = dictValue.or(() -> pct.isPresent()
                    ? Optional.of(new SourcedValue(pct.getAsDouble(), node, "rotary_pct")) : Optional.empty());
            if (type == RopeType.DEFAULT) {
                OptionalDouble ignored = node.number("partial_rotary_factor", expected);
                SourcedValue used = dictValue.orElse(SourcedValue.defaultValue(defaultValue));
                if (ignored.isPresent() && ignored.getAsDouble() != used.value()) {
                    node.warn("partial_rotary_factor", "GPTNeoXConfig reads rotary_pct, not a top-level "
                            + "partial_rotary_factor; " + ConfigNode.format(used.value()) + " is used ("
                            + (used.isDefault() ? "rotary_pct's default" : used.path()) + ")");
                }
                return used;
            }
        }
        Optional<SourcedValue> top = firstTopLevel(List.of("partial_rotary_factor"), expected);
        if (top.isPresent() && dictValue.isPresent() && top.get().value() != dictValue.get().value()) {
            if (type == RopeType.DEFAULT) {
                node.warn("partial_rotary_factor", ConfigNode.format(top.get().value()) + " differs from "
                        + dictValue.get().path() + " " + ConfigNode.format(dictValue.get().value()) + "; for rope type"
                        + " \"default\" Hugging Face uses the rope dict's (convert_rope_params_to_dict only "
                        + "setdefaults it)");
                return dictValue.get();
            }
            dict.warn("partial_rotary_factor", ConfigNode.format(dictValue.get().value()) + " is overridden by the "
                    + "top-level partial_rotary_factor " + ConfigNode.format(top.get().value()) + ", as in Hugging "
                    + "Face (rope type \"" + type.id() + "\" standardizes again, assigning the config's attribute)");
            return top.get();
        }
        return top.isPresent() ? top.get() : dictValue.orElse(SourcedValue.defaultValue(defaultValue));
    }

    /** The first of {@code keys} present at the top level; later ones that differ are warned about. */
    private Optional<SourcedValue> firstTopLevel(List<String> keys, String expected) {
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            OptionalDouble top = node.number(key, expected);
            if (top.isEmpty()) {
                continue;
            }
            for (String later : keys.subList(k + 1, keys.size())) {
                OptionalDouble other = node.number(later, expected);
                if (other.isPresent() && other.getAsDouble() != top.getAsDouble()) {
                    node.warn(later, ConfigNode.format(other.getAsDouble()) + " differs from " + node.path(key)
                            + " " + ConfigNode.format(top.getAsDouble()) + "; " + key + " is used");
                }
            }
            return Optional.of(new SourcedValue(top.getAsDouble(), node, key));
        }
        return Optional.empty();
    }

    /**
     * {@code original_max_position_embeddings} after {@code standardize_rope_params}: the top-level key wins (Phi-3
     * keeps it there; Phi3Config defaults it to 4096), then the dict's, then {@code max_position_embeddings}. For a
     * layer type's dict HF does not look at the top level.
     */
    private SourcedValue originalMaxPositionEmbeddings(ConfigNode dict, int maxpos, boolean perLayer) {
        String key = "original_max_position_embeddings";
        String expected = "a positive integer";
        OptionalInt inDict = dict.integer(key, 1, expected);
        OptionalInt top = perLayer ? OptionalInt.empty() : node.integer(key, 1, expected);
        if (!perLayer && top.isEmpty() && family == ModelFamily.PHI3) {
            node.warn(key, "not set; Phi3Config's default 4096 is used");
            return SourcedValue.defaultValue(4096);
        }
        if (top.isPresent()) {
            if (inDict.isPresent() && inDict.getAsInt() != top.getAsInt()) {
                dict.warn(key, inDict.getAsInt() + " is overridden by the top-level original_max_position_embeddings "
                        + top.getAsInt() + ", as in Hugging Face");
            }
            return new SourcedValue(top.getAsInt(), node, key);
        }
        if (inDict.isPresent()) {
            if (!dict.isIntegerLiteral(key)) {
                dict.warn(key, "should be an integer, got " + ConfigNode.render(dict.raw(key)));
            }
            return new SourcedValue(inDict.getAsInt(), dict, key);
        }
        return SourcedValue.defaultValue(maxpos);
    }

    // ---------------------------------------------------------------------------------------------------------
    // validation: one dict into a spec
    // ---------------------------------------------------------------------------------------------------------

    /**
     * One rope dict (the model's, or one layer type's) into a spec.
     *
     * @param headDim the head size, with the key it came from (for messages)
     * @param prfDefault the family's default {@code partial_rotary_factor}
     * @param perLayer whether {@code dict} is one layer type's dict
     * @param extraKeys keys the family's config class allows in the dict besides the rope type's own
     */
    RopeSpec spec(ConfigNode dict, HeadDim headDim, double prfDefault, RopeLayout layout, SourcedValue theta,
                  int maxpos, boolean perLayer, Set<String> extraKeys) {
        RopeType declared = ropeType(dict);
        RopeType type = family == ModelFamily.QWEN_VL && !family.updatesDynamically(modelType)
                ? frozenAtInit(dict, declared) : declared;
        SourcedValue prf = partialRotaryFactor(dict, prfDefault, type);
        int rotaryDim = rotaryDim(dict, headDim, prf, type);
        SourcedValue[] l0 = new SourcedValue[1];
        RopeScaling scaling = rethrown(dict, theta, prf, headDim, l0, () -> switch (type) {
            case DEFAULT -> {
                checkKeys(dict, type, Set.of(), Set.of(), extraKeys);
                yield new RopeScaling.Default();
            }
            case LINEAR -> {
                checkKeys(dict, type, Set.of("factor"), Set.of(), extraKeys);
                yield new RopeScaling.Linear(factor(dict, type));
            }
            case DYNAMIC -> {
                checkKeys(dict, type, Set.of("factor"), Set.of(), extraKeys);
                yield new RopeScaling.Dynamic(factor(dict, type));
            }
            case NTK -> {
                checkKeys(dict, type, Set.of("factor"), Set.of(), extraKeys);
                dict.warn("rope_type", "\"ntk\" (static NTK-aware scaling) is a posenc extension; Hugging Face "
                        + "transformers cannot load this config");
                yield new RopeScaling.Ntk(factor(dict, type));
            }
            case YARN -> {
                l0[0] = originalMaxPositionEmbeddings(dict, maxpos, perLayer);
                yield yarn(dict, (int) l0[0].value(), maxpos, perLayer, extraKeys);
            }
            case LONGROPE -> {
                l0[0] = originalMaxPositionEmbeddings(dict, maxpos, perLayer);
                RopeScaling.LongRope longrope = longrope(dict, rotaryDim, (int) l0[0].value(), maxpos, extraKeys);
                if (family.updatesDynamically(modelType)) {
                    yield longrope;
                }
                dict.warn("long_factor", modelType + "'s rotary class has no dynamic_rope_update, so it keeps the "
                        + "short factors it was built with at every length; so does posenc");
                yield new RopeScaling.LongRope(longrope.shortFactor(), longrope.shortFactor(),
                        longrope.originalMaxPositionEmbeddings(), longrope.factor(), longrope.attentionFactor());
            }
            case LLAMA3 -> {
                l0[0] = originalMaxPositionEmbeddings(dict, maxpos, perLayer);
                yield llama3(dict, (int) l0[0].value(), maxpos, extraKeys);
            }
            case PROPORTIONAL -> {
                checkKeys(dict, type, Set.of(), Set.of("factor"), extraKeys);
                if (prf.isDefault()) {
                    dict.warn("partial_rotary_factor", "not set, so proportional RoPE rotates the whole head "
                            + "(Hugging Face warns too: this is linear scaling)");
                }
                double factor = dict.has("factor") ? factor(dict, type) : 1.0;
                yield new RopeScaling.Proportional(factor, prf.value());
            }
        });
        RopeSpec spec = rethrown(dict, theta, prf, headDim, l0,
                () -> new RopeSpec(headDim.value(), rotaryDim, layout, theta.value(), maxpos, scaling));
        return spec;
    }

    /**
     * A head size and the key it was read or derived from.
     *
     * @param value the attention's head size
     * @param rotaryBase the size the rotary class multiplies {@code partial_rotary_factor} with (GPT-NeoX's rotary
     *     reads {@code head_dim}, its attention {@code hidden_size / num_attention_heads}); usually {@code value}
     */
    record HeadDim(int value, int rotaryBase, ConfigNode origin, String key, String derivation) {
        HeadDim(int value, ConfigNode origin, String key, String derivation) {
            this(value, value, origin, key, derivation);
        }
    }

    /**
     * Qwen2-VL's and Qwen2.5-VL's rotary class has no {@code @dynamic_rope_update}: frequencies stay as built at
     * initialisation, so dynamic NTK never grows (it is the default rope) and LongRoPE never leaves its short
     * factors.
     */
    private RopeType frozenAtInit(ConfigNode dict, RopeType type) {
        if (type == RopeType.DYNAMIC) {
            String key = dict.has("rope_type") ? "rope_type" : "type";
            dict.warn(key, modelType + "'s rotary class has no dynamic_rope_update, so dynamic NTK never grows: "
                    + "Hugging Face rotates with the default frequencies at every length; so does posenc");
            return RopeType.DEFAULT;
        }
        return type;
    }

    /**
     * The rotated width. Families whose model code reads {@code partial_rotary_factor} (phi, phi3, stablelm,
     * gpt_neox, glm) rotate {@code int(head_dim * partial_rotary_factor)}; the others' {@code
     * compute_default_rope_parameters} uses the whole head, and their attention rotates the whole q and k whatever
     * the rope type: with a scaled type and a factor below 1, HF builds fewer frequencies than the head has pairs and
     * its forward pass fails, so posenc refuses the config the same way.
     */
    private int rotaryDim(ConfigNode dict, HeadDim headDim, SourcedValue prf, RopeType type) {
        if (type == RopeType.PROPORTIONAL) {
            return headDim.value();
        }
        if (!family.readsPartialRotaryFactor() || family == ModelFamily.QWEN_VL) {
            if (!prf.isDefault() && prf.value() != 1) {
                int partial = (int) (headDim.value() * prf.value());
                if (type == RopeType.DEFAULT || partial == headDim.value() || family == ModelFamily.QWEN_VL) {
                    prf.origin().warn(prf.key(), modelType + "'s model code rotates the whole head (its "
                            + "compute_default_rope_parameters does not read partial_rotary_factor); ignored");
                } else {
                    throw prf.error("1 or nothing: " + modelType + "'s attention rotates the whole head of "
                            + headDim.value() + ", but rope_type \"" + type.id() + "\" builds int(head_dim * "
                            + "partial_rotary_factor) / 2 = " + partial / 2 + " frequencies, so Hugging Face's "
                            + "forward pass fails (shape mismatch)");
                }
            }
            if (headDim.value() % 2 != 0) {
                throw oddHead(headDim);
            }
            return headDim.value();
        }
        double fraction = prf.value();
        if (!(fraction > 0 && fraction <= 1)) {
            throw prf.error("a number in (0, 1]");
        }
        int rotaryDim = (int) (headDim.rotaryBase() * fraction);
        if (rotaryDim > headDim.value()) {
            throw ConfigException.at(node.source(), headDim.origin().path(headDim.key()), "at most the attention's "
                    + "head size " + headDim.value() + " rotated dimensions (int(head_dim * partial_rotary_factor) = "
                    + rotaryDim + "; Hugging Face's forward pass fails)", String.valueOf(headDim.rotaryBase()));
        }
        if (rotaryDim < 2 || rotaryDim % 2 != 0) {
            throw prf.isDefault() ? oddHead(headDim) : prf.error("a value giving an even rotary dimension >= 2 "
                    + "(int(head_dim " + headDim.rotaryBase() + " * " + ConfigNode.format(fraction) + ") = " + rotaryDim
                    + ")");
        }
        return rotaryDim;
    }

    private ConfigException oddHead(HeadDim headDim) {
        return ConfigException.at(node.source(), headDim.origin().path(headDim.key()),
                "an even number of rotated dimensions", headDim.value() + headDim.derivation());
    }

    /**
     * Runs {@code build} and turns a {@link RopeParameterException} into a {@link ConfigException} at the key
     * path the value was read from.
     */
    private <T> T rethrown(ConfigNode dict, SourcedValue theta, SourcedValue prf, HeadDim headDim,
                           SourcedValue[] l0, Supplier<T> build) {
        try {
            return build.get();
        } catch (RopeParameterException e) {
            String parameter = e.parameter();
            String base = parameter.contains("[") ? parameter.substring(0, parameter.indexOf('[')) : parameter;
            String index = parameter.substring(base.length());
            String path = switch (base) {
                case "rope_theta" -> theta.isDefault() ? dict.path("rope_theta") : theta.path();
                case "partial_rotary_factor" -> prf.isDefault() ? dict.path(base) : prf.path();
                case "head_dim", "rotary_dim" -> headDim.origin().path(headDim.key());
                case "max_position_embeddings" -> node.path(base);
                case "original_max_position_embeddings" -> l0[0] == null || l0[0].isDefault()
                        ? node.path("max_position_embeddings") : l0[0].path();
                default -> dict.path(base);
            };
            SourcedValue sourced = switch (base) {
                case "rope_theta" -> theta;
                case "partial_rotary_factor" -> prf;
                case "original_max_position_embeddings" -> l0[0];
                default -> null;
            };
            String got = !index.isEmpty() ? e.actual()
                    : sourced != null && !sourced.isDefault() ? ConfigNode.render(sourced.origin().raw(sourced.key()))
                    : dict.has(base) ? ConfigNode.render(dict.raw(base)) : e.actual();
            throw ConfigException.at(node.source(), path + index, e.expected(), got);
        }
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
        if (family == ModelFamily.PHI3) {
            name = phi3RopeType(dict, key, name);
        } else if (name.equals("su")) {
            dict.warn(key, "\"su\" is the old name of \"longrope\"; read as longrope");
            name = RopeType.LONGROPE.id();
        } else if (name.equals("mrope")) {
            if (family != ModelFamily.QWEN_VL) {
                dict.warn(key, "\"mrope\" is Qwen2-VL's old name of \"default\"; read as default");
            }
            name = RopeType.DEFAULT.id();
        }
        String finalName = name;
        return RopeType.byId(name).orElseThrow(() -> dict.has(key)
                ? dict.error(key, "one of " + TYPES)
                : ConfigException.at(node.source(), dict.path(key), "one of " + TYPES, ConfigNode.render(finalName)));
    }

    /**
     * {@code Phi3Config}: "su" and "yarn" become "longrope" ({@code convert_rope_params_to_dict}), and
     * {@code validate_rope} raises for anything but "default" and "longrope". The original "su" release keeps
     * {@code original_max_position_embeddings} at the top level only: transformers 5 standardizes before renaming,
     * so the renamed dict lacks the key and {@code validate_rope} raises {@code KeyError}; transformers 4 loaded it,
     * and so does posenc, with a warning.
     */
    private String phi3RopeType(ConfigNode dict, String key, String name) {
        if (name.equals("su") || name.equals("yarn")) {
            if (name.equals("su") && !dict.has("original_max_position_embeddings")) {
                dict.warn(key, "\"su\" is read as \"longrope\" as transformers 4 did; transformers 5 rejects this "
                        + "file (Phi3Config renames su to longrope after standardizing, so "
                        + "rope_scaling.original_max_position_embeddings is never set and validate_rope raises "
                        + "KeyError)");
            } else {
                dict.warn(key, "Phi3Config turns rope_type \"" + name + "\" into \"longrope\"; read as longrope");
            }
            return RopeType.LONGROPE.id();
        }
        if (!name.equals("default") && !name.equals("longrope")) {
            throw dict.has(key) ? dict.error(key, "\"default\" or \"longrope\" (Phi3Config.validate_rope raises "
                    + "ValueError for other rope types)")
                    : ConfigException.at(node.source(), dict.path(key), "\"default\" or \"longrope\"", ConfigNode.render(name));
        }
        return name;
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

    /** A required {@code factor}; HF warns (and computes) below 1. */
    private static double factor(ConfigNode dict, RopeType type) {
        if (!dict.has("factor")) {
            throw dict.error("factor", "a number (required for rope_type \"" + type.id() + "\")");
        }
        double f = dict.number("factor", "a number").orElseThrow();
        if (f < 1) {
            dict.warn("factor", "should be >= 1, got " + ConfigNode.format(f) + "; Hugging Face warns and computes "
                    + "with it, so does posenc");
        }
        return f;
    }

    private RopeScaling.Yarn yarn(ConfigNode dict, int l0, int maxpos, boolean perLayer, Set<String> extraKeys) {
        checkKeys(dict, RopeType.YARN, Set.of("factor"), Set.of("attention_factor", "beta_fast", "beta_slow",
                "mscale", "mscale_all_dim", "truncate", "original_max_position_embeddings"), extraKeys);
        double factor;
        if (dict.containsNull("factor")) {
            factor = (double) maxpos / l0;
            dict.warn("factor", "null; Hugging Face uses max_position_embeddings / original_max_position_embeddings = "
                    + ConfigNode.format(factor));
        } else {
            factor = factor(dict, RopeType.YARN);
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
        OptionalDouble attentionFactor = dict.number("attention_factor", "a number");
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
        return v.getAsDouble();
    }

    private RopeScaling.LongRope longrope(ConfigNode dict, int rotaryDim, int l0, int maxpos, Set<String> extraKeys) {
        checkKeys(dict, RopeType.LONGROPE, Set.of("short_factor", "long_factor"),
                Set.of("attention_factor", "factor", "original_max_position_embeddings"), extraKeys);
        float[] shortFactor = factorList(dict, "short_factor", rotaryDim / 2);
        float[] longFactor = factorList(dict, "long_factor", rotaryDim / 2);
        // HF v5 (and v4 Phi-3): without an explicit factor, the context extension is used for the attention factor.
        double factor = dict.has("factor") ? factor(dict, RopeType.LONGROPE) : (double) maxpos / l0;
        OptionalDouble attentionFactor = dict.number("attention_factor", "a number");
        return new RopeScaling.LongRope(shortFactor, longFactor, l0, factor, attentionFactor);
    }

    /** A factor list of {@code rotary_dim / 2} numbers; each is checked by {@link RopeScaling.LongRope}. */
    private static float[] factorList(ConfigNode dict, String key, int pairs) {
        String expected = "a list of " + pairs + " numbers > 0 (rotary_dim / 2)";
        double[] values = dict.numbers(key, expected).orElseThrow(() -> dict.error(key, expected));
        if (values.length != pairs) {
            throw dict.error(key, expected);
        }
        float[] out = new float[pairs];
        for (int i = 0; i < pairs; i++) {
            if (!(values[i] > 0) || Float.isInfinite((float) values[i]) || (float) values[i] == 0f) {
                throw ConfigException.at(dict.source(), dict.path(key) + "[" + i + "]", "a number > 0 that float32 "
                        + "can hold (between 1.4e-45 and 3.4e38)", ConfigNode.format(values[i]));
            }
            out[i] = (float) values[i];
        }
        return out;
    }

    private RopeScaling.Llama3 llama3(ConfigNode dict, int l0, int maxpos, Set<String> extraKeys) {
        checkKeys(dict, RopeType.LLAMA3, Set.of("factor", "low_freq_factor", "high_freq_factor"),
                Set.of("original_max_position_embeddings"), extraKeys);
        double factor = factor(dict, RopeType.LLAMA3);
        double low = positive(dict, "low_freq_factor");
        double high = positive(dict, "high_freq_factor");
        if (!(high > low)) {
            dict.warn("high_freq_factor", "should be greater than low_freq_factor, got high_freq_factor="
                    + ConfigNode.format(high) + " and low_freq_factor=" + ConfigNode.format(low) + "; Hugging Face "
                    + "warns and computes with them (no pair is blended), so does posenc");
        }
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
}
