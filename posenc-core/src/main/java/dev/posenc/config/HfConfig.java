package dev.posenc.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Hugging Face {@code config.json} and says how the model encodes positions, with no dependencies.
 *
 * <pre>{@code
 * PositionConfig config = HfConfig.load(Path.of("Meta-Llama-3.1-8B/config.json"));
 * if (config.encoding() instanceof RopeEncoding rope) {
 *     RotaryFrequencies f = rope.spec().frequencies(8192);   // inv_freq + attention_scaling for 8k tokens
 * }
 * config.warnings().forEach(System.err::println);
 * }</pre>
 *
 * <p>Accepted: the v4 form ({@code rope_theta} + {@code rope_scaling}, {@code type} as an alias of
 * {@code rope_type}), the v5 form ({@code rope_parameters}, also per layer type), composite configs with a
 * {@code text_config} (its {@code model_type} selects the family, keys are read there) and each family's own keys
 * (see {@link ModelFamily}). A {@code model_type} posenc does not know is read as a Llama-style RoPE model, with a
 * warning, when it has {@code num_attention_heads}. The semantics are Hugging Face transformers v5's
 * (the package documentation details standardization and validation).
 *
 * <p>Errors are {@link ConfigException}s with a one-line message naming the file, the key path and the expectation.
 * Everything Hugging Face only warns about is returned in {@link PositionConfig#warnings()}.
 */
public final class HfConfig {
    private HfConfig() {}

    /** Reads {@code file}; messages name it as given. */
    public static PositionConfig load(Path file) {
        String source = file.toString();
        return parse(text(file, source), source);
    }

    /**
     * Reads {@code file} with the attention geometry of every decoder layer (RoPE models): heads, head sizes, each
     * layer's rotary slice and spec or NoPE, softmax scale and window, as the family's Hugging Face attention class
     * builds them. Errors and warnings as for {@link #load}.
     */
    public static ModelGeometry loadGeometry(Path file) {
        String source = file.toString();
        return parseGeometry(text(file, source), source);
    }

    /** As {@link #loadGeometry}, for a config given as JSON text named {@code source} in messages. */
    public static ModelGeometry parseGeometry(String json, String source) {
        Json.Document doc = Json.parse(json, source);
        List<String> warnings = duplicateKeyWarnings(doc);
        PositionConfig config = read(doc.root(), source, warnings);
        return GeometryReader.read(doc.root(), config, warnings);
    }

    private static String text(Path file, String source) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + describe(e), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(source + ": expected UTF-8 text, got invalid bytes", e);
        }
        return text;
    }

    /**
     * Reads a config given as JSON text.
     *
     * @param source the name to use in messages (e.g. the file name)
     */
    public static PositionConfig parse(String json, String source) {
        Json.Document doc = Json.parse(json, source);
        return read(doc.root(), source, duplicateKeyWarnings(doc));
    }

    private static List<String> duplicateKeyWarnings(Json.Document doc) {
        List<String> warnings = new ArrayList<>();
        for (String key : doc.duplicateKeys()) {
            warnings.add(key + ": appears more than once; the last value is used (as Python's json does)");
        }
        return warnings;
    }

    /** Reads an already parsed document ({@link Json} values). */
    static PositionConfig read(Object document, String source, List<String> warnings) {
        if (!(document instanceof Map<?, ?> map)) {
            throw new ConfigException(source + ": expected a JSON object at the top level, got "
                    + ConfigNode.render(document));
        }
        @SuppressWarnings("unchecked")
        ConfigNode root = ConfigNode.root(source, (Map<String, Object>) map, warnings);
        String modelType = root.string("model_type", "a string naming the model family")
                .orElseThrow(() -> root.error("model_type", "a string naming the model family"));
        Optional<ConfigNode> textConfig = root.object("text_config", "an object");
        ConfigNode node = textConfig.orElse(root);
        String textModelType = textConfig.flatMap(t -> t.string("model_type", "a string")).orElse(modelType);
        ModelFamily family = family(node, modelType, textModelType);
        String familyModelType = ModelFamily.of(textModelType).isPresent() ? textModelType : modelType;
        ModelEncoding encoding = switch (family) {
            case BLOOM -> bloom(node);
            case MPT -> mpt(node);
            case T5 -> t5(node);
            case DEBERTA -> deberta(node);
            case BERT -> bert(node);
            case GPT2 -> gpt2(node);
            case FALCON -> node.bool("alibi", "true or false").orElse(false)
                    ? new AlibiEncoding(heads(node, "num_attention_heads", "n_head"), 8)
                    : RopeFamilies.read(node, family, familyModelType);
            default -> RopeFamilies.read(node, family, familyModelType);
        };
        return new PositionConfig(source, modelType, encoding, warnings);
    }

    private static ModelFamily family(ConfigNode node, String modelType, String textModelType) {
        Optional<ModelFamily> known = ModelFamily.of(textModelType).or(() -> ModelFamily.of(modelType));
        if (known.isPresent()) {
            return known.get();
        }
        if (textModelType.startsWith("gpt_neox")) {
            node.warn("model_type", "\"" + textModelType + "\" is not a Hugging Face model type; read as gpt_neox");
            return ModelFamily.GPT_NEOX;
        }
        if (node.has("num_attention_heads")) {
            node.warn("model_type", "\"" + textModelType + "\" is not a family posenc knows; read as a Llama-style "
                    + "RoPE model (half layout, standard rope_theta/rope_scaling/rope_parameters)");
            return ModelFamily.LLAMA;
        }
        throw node.error("model_type", "a model family posenc knows (llama, mistral, qwen2, gemma, phi3, gptj, "
                + "gpt_neox, chatglm, deepseek_v3, bert, t5, bloom, mpt, ...) or a config with num_attention_heads");
    }

    /** BLOOM: ALiBi over {@code n_head} (alias {@code num_attention_heads}; BloomConfig default 8). */
    private static AlibiEncoding bloom(ConfigNode node) {
        return new AlibiEncoding(headsOrDefault(node, 8, "n_head", "num_attention_heads"), 8);
    }

    /** MPT ({@code MPTConfig}): {@code attn_config.alibi} or learned positions ({@code learned_pos_emb}). */
    private static ModelEncoding mpt(ConfigNode node) {
        ConfigNode attn = node.object("attn_config", "an object").orElse(node.empty("attn_config"));
        if (attn.bool("alibi", "true or false").orElse(false)) {
            double biasMax = attn.number("alibi_bias_max", "a number > 0").orElse(8);
            if (!(biasMax > 0)) {
                throw attn.error("alibi_bias_max", "a number > 0");
            }
            return new AlibiEncoding(headsOrDefault(node, 16, "n_heads"), biasMax);
        }
        if (node.bool("learned_pos_emb", "true or false").orElse(true)) {
            return new LearnedAbsoluteEncoding(node.integer("max_seq_len", 1, "a positive integer").orElse(2048));
        }
        throw node.error("learned_pos_emb", "true, or attn_config.alibi true (posenc reads no other MPT position "
                + "encoding)");
    }

    /** T5 ({@code T5Config}): bucketed relative bias; {@code relative_attention_max_distance} defaults to 128. */
    private static T5Encoding t5(ConfigNode node) {
        int buckets = node.integer("relative_attention_num_buckets", 1, "a positive integer").orElse(32);
        int maxDistance = node.integer("relative_attention_max_distance", 1, "a positive integer").orElse(128);
        return new T5Encoding(buckets, maxDistance, headsOrDefault(node, 8, "num_heads"));
    }

    /** DeBERTa(-v2) ({@code DebertaV2Config}, {@code DisentangledSelfAttention}). */
    private static ModelEncoding deberta(ConfigNode node) {
        int maxpos = node.integer("max_position_embeddings", 1, "a positive integer").orElse(512);
        if (!node.bool("relative_attention", "true or false").orElse(false)) {
            return new LearnedAbsoluteEncoding(maxpos);
        }
        int buckets = node.integer("position_buckets", Integer.MIN_VALUE, "an integer").orElse(-1);
        int maxRelative = node.integer("max_relative_positions", Integer.MIN_VALUE, "an integer").orElse(-1);
        List<String> types = new ArrayList<>();
        Object raw = node.raw("pos_att_type");
        if (raw instanceof String s) {
            for (String part : s.toLowerCase(Locale.ROOT).split("\\|")) {
                types.add(part.strip());
            }
        } else if (raw instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw node.error("pos_att_type", "\"c2p|p2c\" or a list of \"c2p\"/\"p2c\"");
                }
                types.add(s.strip().toLowerCase(Locale.ROOT));
            }
        } else if (raw != null) {
            throw node.error("pos_att_type", "\"c2p|p2c\" or a list of \"c2p\"/\"p2c\"");
        }
        for (String t : types) {
            if (!t.equals("c2p") && !t.equals("p2c")) {
                throw node.error("pos_att_type", "\"c2p|p2c\" or a list of \"c2p\"/\"p2c\"");
            }
        }
        boolean biasedInput = node.bool("position_biased_input", "true or false").orElse(true);
        return new DebertaEncoding(buckets, maxRelative < 1 ? maxpos : maxRelative, types, maxpos, biasedInput);
    }

    /** BERT-style encoders: a learned table; only {@code position_embedding_type} "absolute" is read. */
    private static LearnedAbsoluteEncoding bert(ConfigNode node) {
        String type = node.string("position_embedding_type", "\"absolute\"").orElse("absolute");
        if (!type.equals("absolute")) {
            throw node.error("position_embedding_type", "\"absolute\" (posenc does not read BERT's relative_key "
                    + "variants yet)");
        }
        return new LearnedAbsoluteEncoding(node.integer("max_position_embeddings", 1, "a positive integer").orElse(512));
    }

    private static LearnedAbsoluteEncoding gpt2(ConfigNode node) {
        return new LearnedAbsoluteEncoding(node.integer("n_positions", 1, "a positive integer").orElse(1024));
    }

    private static int heads(ConfigNode node, String... keys) {
        for (String key : keys) {
            if (node.has(key)) {
                return node.integer(key, 1, "a positive integer").getAsInt();
            }
        }
        throw node.error(keys[0], "a positive integer (the number of attention heads)");
    }

    private static int headsOrDefault(ConfigNode node, int defaultValue, String... keys) {
        for (String key : keys) {
            if (node.has(key)) {
                return node.integer(key, 1, "a positive integer").getAsInt();
            }
        }
        return defaultValue;
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return switch (type) {
            case "NoSuchFileException" -> "no such file";
            case "AccessDeniedException" -> "permission denied";
            default -> e.getMessage() == null ? type : e.getMessage();
        };
    }
}
