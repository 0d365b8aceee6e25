package dev.posenc.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.posenc.logits.AlibiSlopes;
import dev.posenc.querykey.CosSinCache;
import dev.posenc.querykey.CosSinOnTheFly;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryFrequencies;
import dev.posenc.testing.HfConfigsFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A seeded, structure-aware fuzz test of {@link HfConfig#parse} and what a config leads to: the real configs of
 * {@code ../shared/hf-configs} (and two inline ones, so the test also runs without that folder), each mutated at
 * one to three places (numbers set to edge values, types swapped, keys deleted or repeated, values nested, strings
 * with line breaks or of great length), then read, and for RoPE models {@code frequencies(L)} at {@code L = 0},
 * {@code max_position_embeddings} and twice that plus a 64-position {@link CosSinCache} and a row at position
 * 2^31 − 1; for ALiBi models the slopes of every rule.
 *
 * <p>Every case must be accepted with every result finite ({@code inv_freq}, {@code attention_scaling}, every cos
 * and sin, every slope), or be a {@link ConfigException} whose message is one line of at most
 * {@link #MAX_MESSAGE_CHARS} characters that names the file and then a key path (or a line and column); never any
 * other exception.
 *
 * <p>Cases are drawn from a fixed seed; {@code -Dposenc.fuzz.seed=S -Dposenc.fuzz.cases=N} explores further.
 *
 * <p>Failures are grouped into classes (the kind of failure and where it arises); each class is printed with its
 * shortest example, and every failure prints the seed, the case number and the mutated input, so {@code SEED} and
 * {@code CASES} reproduce it.
 */
class ConfigFuzzTest {
    /** The seed; {@code -Dposenc.fuzz.seed=S} runs another (and reproduces a reported case). */
    private static final long SEED = Long.getLong("posenc.fuzz.seed", 0x9c0f_1a2b_3c4dL);
    /** The number of cases; {@code -Dposenc.fuzz.cases=N} for a longer run. */
    private static final int CASES = Integer.getInteger("posenc.fuzz.cases", 4000);
    /** The longest message accepted: the file name, a key path, the expectation and a value cut to 80 characters. */
    private static final int MAX_MESSAGE_CHARS = 300;
    /**
     * The largest rotary_dim whose frequencies the test computes: {@code frequencies()} allocates rotary_dim/2
     * floats, so a config accepted with a larger one is a failure class of its own (no published model comes near).
     */
    private static final int MAX_ROTARY_DIM = 1 << 16;
    /** The positions of the cos/sin table built for each frequency set. */
    private static final int CACHE_POSITIONS = 64;

    /** The first (shortest) input seen for each failure class. */
    private final Map<String, String> examples = new TreeMap<>();

    private static final String[] INTERESTING_KEYS = {"rope_theta", "rope_scaling", "rope_parameters", "rope_type",
        "type", "factor", "original_max_position_embeddings", "max_position_embeddings", "attention_factor",
        "beta_fast", "beta_slow", "mscale", "mscale_all_dim", "short_factor", "long_factor", "low_freq_factor",
        "high_freq_factor", "partial_rotary_factor", "head_dim", "hidden_size", "num_attention_heads", "rotary_dim",
        "rotary_pct", "rotary_emb_base", "n_head", "n_heads", "alibi", "attn_config", "alibi_bias_max",
        "text_config", "model_type", "mrope_section", "layer_types", "truncate", "n_positions", "max_seq_len"};

    private static final String[] EDGE_NUMBERS = {"0", "-1", "1", "2", "1e-46", "1e39", "5e-324", "1e308", "-1e308",
        "1.7976931348623157e308", "3.4028235e38", "3.4028236e38", "1.1754942e-38", "1e-39", "-0.0", "0.5",
        "1.0000001", "65536", "65537", "2147483647", "2147483648", "-2147483649", "4294967296",
        "9223372036854775808", "1" + "0".repeat(400), "1e400", "NaN", "Infinity", "-Infinity", "3", "2e9", "1e-10"};

    private static final String[] EDGE_STRINGS = {"", "NaN", "1e39", "eight", "line\nbreak", "tab\there\r\n",
        "\u2028", "x".repeat(5000), "yarn", "longrope", "dynamic", "linear", "llama3", "default", "su", "ntk",
        "proportional", "\"quoted\\"};

    @Test
    void mutatedConfigsAreReadOrRejectedInOneLine() throws IOException {
        List<Map.Entry<String, String>> corpus = corpus();
        Random random = new Random(SEED);
        List<String> unexpected = new ArrayList<>();
        for (int n = 0; n < CASES; n++) {
            Map.Entry<String, String> base = corpus.get(random.nextInt(corpus.size()));
            Object tree = Json.parse(base.getValue(), base.getKey()).root();
            int mutations = 1 + random.nextInt(3);
            StringBuilder what = new StringBuilder();
            for (int m = 0; m < mutations; m++) {
                tree = mutate(tree, random, what);
            }
            String json = write(tree);
            String source = "fuzz/" + base.getKey();
            String failure = outcome(json, source);
            if (failure == null) {
                continue;
            }
            String signature = signature(failure);
            String example = "case " + n + " of seed " + SEED + " (" + base.getKey() + ";" + what + ") -> "
                    + Echo.oneLine(failure.length() > 400 ? failure.substring(0, 400) + "…" : failure);
            examples.merge(signature, example, (a, b) -> a.length() <= b.length() ? a : b);
            unexpected.add(example + "; input: " + Echo.oneLine(json));
        }
        examples.forEach((signature, example) -> System.out.println("fuzz failure class: " + signature
                + System.lineSeparator() + "  e.g. " + example));
        if (!unexpected.isEmpty()) {
            fail(unexpected.size() + " of " + CASES + " cases failed; the first: " + unexpected.get(0));
        }
    }

    /** Null when the case passes, else what went wrong. */
    private static String outcome(String json, String source) {
        PositionConfig config;
        try {
            config = HfConfig.parse(json, source);
        } catch (ConfigException e) {
            return messageProblem(e.getMessage(), source);
        } catch (RuntimeException | StackOverflowError e) {
            return describe(e);
        }
        try {
            return switch (config.encoding()) {
                case RopeEncoding rope -> {
                    String problem = ropeProblem(rope.spec());
                    for (RopeSpec other : rope.otherLayerTypes().values()) {
                        problem = problem != null ? problem : ropeProblem(other);
                    }
                    yield problem;
                }
                case AlibiEncoding alibi -> finite("ALiBi slope", AlibiSlopes.paper(alibi.numHeads(),
                        alibi.alibiBiasMax()), AlibiSlopes.mpt(alibi.numHeads(), alibi.alibiBiasMax()),
                        AlibiSlopes.bloom(alibi.numHeads()), AlibiSlopes.falcon(alibi.numHeads()));
                default -> null;
            };
        } catch (RuntimeException e) {
            return describe(e);
        }
    }

    private static String ropeProblem(RopeSpec spec) {
        if (spec.rotaryDim() > MAX_ROTARY_DIM) {
            return "unbounded rotary_dim accepted: " + spec.rotaryDim();
        }
        for (long length : new long[] {0, spec.maxPositionEmbeddings(), Math.min(2L * spec.maxPositionEmbeddings(), RopeSpec.MAX_SEQ_LEN)}) {
            RotaryFrequencies f = spec.frequencies(length);
            String where = " (rope_type " + spec.ropeType() + ", length " + length + ")";
            if (!Double.isFinite(f.attentionScaling())) {
                return "non-finite attention_scaling" + where + ": " + f.attentionScaling();
            }
            for (float inv : f.invFreq()) {
                if (!Float.isFinite(inv)) {
                    return "non-finite inv_freq" + where + ": " + inv;
                }
            }
            CosSinCache cache = CosSinCache.of(f, 0, CACHE_POSITIONS);
            for (int p = 0; p < CACHE_POSITIONS; p++) {
                for (int i = 0; i < f.pairs(); i++) {
                    if (!Float.isFinite(cache.cos(p, i)) || !Float.isFinite(cache.sin(p, i))) {
                        return "non-finite cos/sin" + where + " at position " + p + ", attention_scaling "
                                + f.attentionScaling();
                    }
                }
            }
            float[] row = new float[2 * f.pairs()];
            CosSinOnTheFly.of(f).row(Integer.MAX_VALUE, row, 0);
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    return "non-finite cos/sin" + where + " at position 2^31 - 1";
                }
            }
        }
        return null;
    }

    private static String finite(String what, double[]... arrays) {
        for (double[] a : arrays) {
            for (double v : a) {
                if (!Double.isFinite(v)) {
                    return "non-finite " + what + ": " + v;
                }
            }
        }
        return null;
    }

    /** What is wrong with a ConfigException's message, or null. */
    private static String messageProblem(String message, String source) {
        if (message.lines().count() != 1 || message.chars().anyMatch(c -> c < 0x20 || c == 0x2028 || c == 0x2029)) {
            return "ConfigException on more than one line: " + message;
        }
        if (!message.startsWith(source + ": ")) {
            return "ConfigException not naming the file first: " + message;
        }
        String rest = message.substring(source.length() + 2);
        if (!rest.matches("(line \\d+, column \\d+|[^ :][^:]*): .*")) {
            return "ConfigException not naming a key path: " + message;
        }
        if (message.length() > MAX_MESSAGE_CHARS) {
            return "ConfigException longer than " + MAX_MESSAGE_CHARS + " characters at "
                    + rest.substring(0, rest.indexOf(':')) + ": " + message;
        }
        return null;
    }

    private static String describe(Throwable e) {
        StackTraceElement where = Stream.of(e.getStackTrace())
                .filter(f -> f.getClassName().startsWith("dev.posenc.") && !f.getClassName().endsWith("FuzzTest"))
                .findFirst().orElse(null);
        return e.getClass().getSimpleName() + " at " + (where == null ? "?" : where.getClassName() + "."
                + where.getMethodName()) + ": " + e.getMessage();
    }

    /** The class of a failure: its kind and where it arose, without the values. */
    private static String signature(String failure) {
        int colon = failure.indexOf(": ");
        String head = colon < 0 ? failure : failure.substring(0, colon);
        return head.replaceAll("length \\d+", "length L").replaceAll("position \\d+", "position P")
                .replaceAll(", attention_scaling .*", "");
    }

    // ---------------------------------------------------------------------------------------------------------
    // the corpus and the mutations
    // ---------------------------------------------------------------------------------------------------------

    private static List<Map.Entry<String, String>> corpus() throws IOException {
        List<Map.Entry<String, String>> corpus = new ArrayList<>();
        corpus.add(Map.entry("inline-llama.json", "{\"model_type\": \"llama\", \"hidden_size\": 4096, "
                + "\"num_attention_heads\": 32, \"max_position_embeddings\": 131072, \"rope_theta\": 500000.0, "
                + "\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0, \"low_freq_factor\": 1.0, "
                + "\"high_freq_factor\": 4.0, \"original_max_position_embeddings\": 8192}}"));
        corpus.add(Map.entry("inline-mpt.json", "{\"model_type\": \"mpt\", \"n_heads\": 24, "
                + "\"attn_config\": {\"alibi\": true, \"alibi_bias_max\": 8}}"));
        Optional<Path> folder = HfConfigsFolder.find();
        if (folder.isPresent()) {
            try (Stream<Path> files = Files.list(folder.get())) {
                for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    corpus.add(Map.entry(p.getFileName().toString(), Files.readString(p)));
                }
            }
        }
        return corpus;
    }

    /** A key repeated in its object: written twice, the first value then the last. */
    private record Repeated(Object first, Object last) {}

    private static Object mutate(Object root, Random random, StringBuilder what) {
        List<List<Object>> paths = new ArrayList<>();
        collect(root, new ArrayList<>(), paths);
        List<List<Object>> interesting = paths.stream().filter(p -> !p.isEmpty() && isInteresting(p)).toList();
        List<Object> path = !interesting.isEmpty() && random.nextInt(10) < 8
                ? interesting.get(random.nextInt(interesting.size())) : paths.get(random.nextInt(paths.size()));
        if (path.isEmpty()) {
            return root;
        }
        Object parent = root;
        for (Object step : path.subList(0, path.size() - 1)) {
            parent = child(parent, step);
        }
        Object last = path.get(path.size() - 1);
        Object old = child(parent, last);
        int kind = random.nextInt(10);
        Object replacement;
        String label;
        switch (kind) {
            case 0, 1, 2, 3 -> {
                String text = EDGE_NUMBERS[random.nextInt(EDGE_NUMBERS.length)];
                replacement = new JsonNumber(text, Double.parseDouble(text), text.matches("-?\\d+"));
                label = "number " + text;
            }
            case 4 -> {
                String text = EDGE_STRINGS[random.nextInt(EDGE_STRINGS.length)];
                replacement = text;
                label = "string of " + text.length();
            }
            case 5 -> {
                replacement = switch (random.nextInt(6)) {
                    case 0 -> Boolean.TRUE;
                    case 1 -> null;
                    case 2 -> new ArrayList<>();
                    case 3 -> new LinkedHashMap<>();
                    case 4 -> new ArrayList<>(List.of(new JsonNumber("1", 1, true)));
                    default -> new LinkedHashMap<>(Map.of("a", new JsonNumber("1", 1, true)));
                };
                label = "type swap";
            }
            case 6 -> {
                replacement = random.nextBoolean() ? new ArrayList<>(List.of(old == null ? "null" : old))
                        : new LinkedHashMap<>(Map.of("x", old == null ? "null" : old));
                label = "nested";
            }
            case 7 -> {
                if (parent instanceof Map<?, ?> map) {
                    cast(map).remove(last);
                    what.append(" delete ").append(path);
                    return root;
                }
                replacement = null;
                label = "null";
            }
            case 8 -> {
                String text = EDGE_NUMBERS[random.nextInt(EDGE_NUMBERS.length)];
                JsonNumber edge = new JsonNumber(text, Double.parseDouble(text), false);
                replacement = !(parent instanceof Map) ? edge
                        : random.nextBoolean() ? new Repeated(edge, old) : new Repeated(old, edge);
                label = parent instanceof Map ? "repeated with " + text : "number " + text;
            }
            default -> {
                replacement = new JsonNumber(String.valueOf(random.nextInt(1 << 20) - 1000), 0, true);
                label = "random int";
            }
        }
        what.append(' ').append(label).append(" at ").append(Echo.oneLine(path.toString()));
        set(parent, last, replacement);
        return root;
    }

    private static boolean isInteresting(List<Object> path) {
        for (Object step : path) {
            if (step instanceof String s) {
                for (String k : INTERESTING_KEYS) {
                    if (k.equals(s)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void collect(Object node, List<Object> path, List<List<Object>> out) {
        out.add(List.copyOf(path));
        if (node instanceof Map<?, ?> map) {
            for (Object key : map.keySet()) {
                path.add(key);
                collect(map.get(key), path, out);
                path.remove(path.size() - 1);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                path.add(i);
                collect(list.get(i), path, out);
                path.remove(path.size() - 1);
            }
        }
    }

    private static Object child(Object parent, Object step) {
        Object c = parent instanceof Map<?, ?> map ? map.get(step) : ((List<?>) parent).get((Integer) step);
        return c instanceof Repeated r ? r.last() : c;
    }

    @SuppressWarnings("unchecked")
    private static void set(Object parent, Object step, Object value) {
        if (parent instanceof Map<?, ?> map) {
            cast(map).put((String) step, value);
        } else {
            ((List<Object>) parent).set((Integer) step, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static String write(Object node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    private static void write(Object node, StringBuilder sb) {
        switch (node) {
            case null -> sb.append("null");
            case JsonNumber n -> sb.append(n.text());
            case Boolean b -> sb.append(b);
            case String s -> quote(s, sb);
            case List<?> list -> {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    sb.append(i == 0 ? "" : ", ");
                    write(list.get(i), sb);
                }
                sb.append(']');
            }
            case Map<?, ?> map -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Object v = e.getValue();
                    for (Object value : v instanceof Repeated r ? new Object[] {r.first(), r.last()} : new Object[] {v}) {
                        sb.append(first ? "" : ", ");
                        first = false;
                        quote((String) e.getKey(), sb);
                        sb.append(": ");
                        write(value, sb);
                    }
                }
                sb.append('}');
            }
            default -> throw new IllegalStateException("not a JSON value: " + node);
        }
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    @Test
    void theCorpusRoundTripsUnmutated() throws IOException {
        for (Map.Entry<String, String> c : corpus()) {
            Object tree = Json.parse(c.getValue(), c.getKey()).root();
            assertTrue(outcome(write(tree), "fuzz/" + c.getKey()) == null, c.getKey());
        }
    }
}
