package dev.posenc.cli;

import dev.posenc.config.AlibiEncoding;
import dev.posenc.config.DebertaEncoding;
import dev.posenc.config.LearnedAbsoluteEncoding;
import dev.posenc.config.T5Encoding;
import dev.posenc.logits.AlibiSlopes;
import dev.posenc.logits.DebertaBuckets;
import dev.posenc.logits.T5Buckets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The full detail {@code posenc inspect} reports for the kinds that are not RoPE, computed with
 * {@code dev.posenc.logits}: ALiBi slopes by the model family's own rule, T5 and DeBERTa buckets of a few relative
 * positions, the range of a learned table. Each method returns JSON fields (key order stable) and {@link #text}
 * renders them for the human form.
 */
final class PositionDetail {
    /** Relative positions whose buckets are shown. */
    static final int[] EXAMPLE_RELATIVE_POSITIONS = {-1000, -128, -64, -16, -8, -1, 0, 1, 8, 16, 64, 128, 1000};

    private PositionDetail() {}

    /**
     * ALiBi slopes: BLOOM's {@code build_alibi_tensor} (float32, always {@code 2^(−8h/n)}), Falcon's (the same in
     * bfloat16, added before the {@code 1/√head_dim} scale), MPT's {@code gen_slopes} with its
     * {@code alibi_bias_max}, the paper's rule otherwise.
     */
    static Map<String, Object> alibi(String modelType, AlibiEncoding a) {
        String rule = switch (modelType) {
            case "bloom" -> "bloom";
            case "falcon", "RefinedWeb", "RefinedWebModel" -> "falcon";
            case "mpt" -> "mpt";
            default -> "paper";
        };
        double[] slopes = switch (rule) {
            case "bloom" -> AlibiSlopes.bloom(a.numHeads());
            case "falcon" -> AlibiSlopes.falcon(a.numHeads());
            case "mpt" -> AlibiSlopes.mpt(a.numHeads(), a.alibiBiasMax());
            default -> AlibiSlopes.paper(a.numHeads());
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("slope_rule", rule);
        out.put("slopes", slopes);
        if (rule.equals("falcon")) {
            out.put("bias_scaled_by", "1/sqrt(head_dim)");
        }
        return out;
    }

    /**
     * T5's buckets (relative position = key − query): bidirectional as its encoder uses them, causal as its decoder
     * does.
     */
    static Map<String, Object> t5(String source, T5Encoding t) {
        T5Buckets encoder = buckets(source, "relative_attention_num_buckets/relative_attention_max_distance",
                () -> new T5Buckets(t.relativeAttentionNumBuckets(), t.relativeAttentionMaxDistance(), true));
        T5Buckets decoder = buckets(source, "relative_attention_num_buckets/relative_attention_max_distance",
                () -> new T5Buckets(t.relativeAttentionNumBuckets(), t.relativeAttentionMaxDistance(), false));
        int[] bidirectional = new int[EXAMPLE_RELATIVE_POSITIONS.length];
        int[] causal = new int[EXAMPLE_RELATIVE_POSITIONS.length];
        for (int i = 0; i < bidirectional.length; i++) {
            bidirectional[i] = encoder.bucket(EXAMPLE_RELATIVE_POSITIONS[i]);
            causal[i] = decoder.bucket(EXAMPLE_RELATIVE_POSITIONS[i]);
        }
        Map<String, Object> examples = new LinkedHashMap<>();
        examples.put("relative_position", EXAMPLE_RELATIVE_POSITIONS);
        examples.put("bidirectional_bucket", bidirectional);
        examples.put("causal_bucket", causal);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("relative_position_sign", "key - query");
        out.put("bucket_examples", examples);
        return out;
    }

    /** DeBERTa: the relative embedding span, the attention scale factor and buckets (relative position = query − key). */
    static Map<String, Object> deberta(String source, DebertaEncoding d) {
        DebertaBuckets buckets = buckets(source, "position_buckets/max_relative_positions",
                () -> new DebertaBuckets(d.positionBuckets(), d.maxRelativePositions()));
        int[] bucket = new int[EXAMPLE_RELATIVE_POSITIONS.length];
        for (int i = 0; i < bucket.length; i++) {
            bucket[i] = buckets.bucket(EXAMPLE_RELATIVE_POSITIONS[i]);
        }
        int scaleFactor = 1 + (int) d.posAttType().stream().distinct().count();
        Map<String, Object> examples = new LinkedHashMap<>();
        examples.put("relative_position", EXAMPLE_RELATIVE_POSITIONS);
        examples.put("bucket", bucket);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("log_buckets", buckets.bucketed());
        out.put("att_span", buckets.attentionSpan());
        out.put("relative_embedding_rows", 2 * buckets.attentionSpan());
        out.put("scale_factor", scaleFactor);
        out.put("softmax_scale", "1/sqrt(head_dim * " + scaleFactor + ")");
        out.put("relative_position_sign", "query - key");
        out.put("bucket_examples", examples);
        return out;
    }

    /** A learned table: the positions it has vectors for. */
    static Map<String, Object> learned(LearnedAbsoluteEncoding l) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("position_range", List.of(0, l.maxPositionEmbeddings() - 1));
        out.put("extrapolates", false);
        return out;
    }

    /** The fields as {@code key value} lines, arrays as comma-separated lists, nested objects indented. */
    static String text(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                sb.append(key).append(":\n");
                nested.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-22s %s%n", k, render(v))));
            } else {
                sb.append(key).append(' ').append(render(value)).append('\n');
            }
        });
        return sb.toString();
    }

    private static String render(Object value) {
        if (value instanceof int[] ints) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < ints.length; i++) {
                sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%6d", ints[i]));
            }
            return sb.toString();
        }
        if (value instanceof double[] doubles) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < doubles.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(doubles[i]);
            }
            return sb.toString();
        }
        return String.valueOf(value);
    }

    private static <T> T buckets(String source, String keys, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new UserInputException(source + ": " + keys + ": " + e.getMessage());
        }
    }
}
