package dev.posenc.config;

import java.util.Objects;
import dev.posenc.logits.AlibiSlopes;
import java.io.IOException;
import java.io.InputStream;
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
 * (listed with their layouts and defaults by {@link SupportedFamily#all()}). A {@code model_type} posenc does not know is read as a Llama-style RoPE model, with a
 * warning, when it has {@code num_attention_heads}. The semantics are Hugging Face transformers v5's
 * (the package documentation details standardization and validation).
 *
 * <p>Errors are {@link ConfigException}s with a one-line message naming the file, the key path and the expectation.
 * Everything Hugging Face only warns about is returned in {@link PositionConfig#warnings()}.
 *
 * <p>Limits: a config is at most {@link #MAX_CONFIG_SIZE} bytes (or characters, for {@link #parse}) and nests at
 * most 512 arrays and objects; Hugging Face's configs are a few kilobytes and nest two or three levels.
 */
public final class HfConfig {
    /**
     * The largest config read: 4 MiB, a thousand times a large Hugging Face config (a few KB; about 70 KB with
     * ImageNet's {@code id2label}), and small enough to parse in a 256 MiB heap whatever the file holds.
     */
    public static final int MAX_CONFIG_SIZE = 4 << 20;

    private static final String ALIBI_HEADS = "the number of attention heads, an integer from 1 to "
            + AlibiSlopes.MAX_HEADS;

    private HfConfig() {}

    /**
     * Reads {@code file}; messages name it as given. At most {@link #MAX_CONFIG_SIZE} bytes are read, whatever the
     * file system says its size is, so endless and special files ({@code /dev/zero}) fail fast.
     */
    public static PositionConfig load(Path file) {
        String source = Objects.requireNonNull(file, "file").toString();
        return parse(text(file, source), source);
    }

    /**
     * Reads {@code file} with the attention geometry of every decoder layer (RoPE models): heads, head sizes, each
     * layer's rotary slice and spec or NoPE, softmax scale and window, as the family's Hugging Face attention class
     * builds them. Errors and warnings as for {@link #load}.
     */
    public static ModelGeometry loadGeometry(Path file) {
        String source = Objects.requireNonNull(file, "file").toString();
        return parseGeometry(text(file, source), source);
    }

    /** As {@link #loadGeometry}, for a config given as JSON text named {@code source} in messages. */
    public static ModelGeometry parseGeometry(String json, String source) {
        Json.Document doc = document(json, source);
        List<String> warnings = duplicateKeyWarnings(doc);
        PositionConfig config = read(doc.root(), source, warnings);
        return GeometryReader.read(doc.root(), config, warnings);
    }

    /**
     * Reads a config given as JSON text.
     *
     * @param source the name to use in messages (e.g. the file name)
     */
    public static PositionConfig parse(String json, String source) {
        Json.Document doc = document(json, source);
        return read(doc.root(), source, duplicateKeyWarnings(doc));
    }

    /** At most {@link #MAX_CONFIG_SIZE} bytes of UTF-8 ({@code /dev/zero} and endless files fail at once). */
    private static String text(Path file, String source) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_CONFIG_SIZE + 1);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read: " + describe(e), e);
        }
        if (bytes.length > MAX_CONFIG_SIZE) {
            throw tooLarge(source, "bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(source + ": expected UTF-8 text, got invalid bytes", e);
        }
    }

    private static Json.Document document(String json, String source) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(source, "source");
        if (json.length() > MAX_CONFIG_SIZE) {
            throw tooLarge(source, "characters");
        }
        return Json.parse(json, source);
    }

    private static List<String> duplicateKeyWarnings(Json.Document doc) {
        List<String> warnings = new ArrayList<>();
        for (String key : doc.duplicateKeys()) {
            warnings.add(key + ": appears more than once; the last value is used (as Python's json does)");
        }
        if (doc.unlistedDuplicates() > 0) {
            warnings.add(doc.unlistedDuplicates() + " more keys appear more than once; the last value is used");
        }
        return warnings;
    }

    private static ConfigException tooLarge(String source, String unit) {
        return new ConfigException(source + ": expected a config of at most " + MAX_CONFIG_SIZE + " " + unit
                + " (4 MiB), got more");
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
                    ? new AlibiEncoding(alibiHeads(node, "num_attention_heads", "n_head"), 8)
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
            node.warn("model_type", ConfigNode.render(textModelType) + " is not a Hugging Face model type; read as gpt_neox");
            return ModelFamily.GPT_NEOX;
        }
        if (node.has("num_attention_heads")) {
            node.warn("model_type", ConfigNode.render(textModelType) + " is not a family posenc knows; read as a Llama-style "
                    + "RoPE model (half layout, standard rope_theta/rope_scaling/rope_parameters)");
            return ModelFamily.LLAMA;
        }
        throw node.error("model_type", "a model family posenc knows (llama, qwen2, gemma, phi3, gptj, t5, bloom, "
                + "mpt, ...) or num_attention_heads");
    }

    /** BLOOM: ALiBi over {@code n_head} (alias {@code num_attention_heads}; BloomConfig default 8). */
    private static AlibiEncoding bloom(ConfigNode node) {
        return new AlibiEncoding(alibiHeadsOrDefault(node, 8, "n_head", "num_attention_heads"), 8);
    }

    /** MPT ({@code MPTConfig}): {@code attn_config.alibi} or learned positions ({@code learned_pos_emb}). */
    private static ModelEncoding mpt(ConfigNode node) {
        ConfigNode attn = node.object("attn_config", "an object").orElse(node.empty("attn_config"));
        if (attn.bool("alibi", "true or false").orElse(false)) {
            double biasMax = attn.number("alibi_bias_max", "a number > 0").orElse(8);
            if (!(biasMax > 0)) {
                throw attn.error("alibi_bias_max", "a number > 0");
            }
            return new AlibiEncoding(alibiHeadsOrDefault(node, 16, "n_heads"), biasMax);
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

    /** The head count of an ALiBi model: the first of {@code keys} present, at most {@link AlibiSlopes#MAX_HEADS}. */
    private static int alibiHeads(ConfigNode node, String... keys) {
        int heads = alibiHeadsOrDefault(node, 0, keys);
        if (heads == 0) {
            throw node.error(keys[0], ALIBI_HEADS);
        }
        return heads;
    }

    private static int alibiHeadsOrDefault(ConfigNode node, int defaultValue, String... keys) {
        for (String key : keys) {
            if (node.has(key)) {
                return node.integer(key, 1, AlibiSlopes.MAX_HEADS, ALIBI_HEADS).getAsInt();
            }
        }
        return defaultValue;
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
