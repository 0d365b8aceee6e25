package dev.posenc.attention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.logits.AlibiBias;
import dev.posenc.logits.AlibiForm;
import dev.posenc.logits.AttentionPositions;
import dev.posenc.logits.DebertaBuckets;
import dev.posenc.logits.DebertaRelative;
import dev.posenc.logits.FireBias;
import dev.posenc.logits.KerpleBias;
import dev.posenc.logits.ShawRelativeKeys;
import dev.posenc.logits.ShawRelativeValues;
import dev.posenc.logits.T5Buckets;
import dev.posenc.logits.T5RelativeBias;
import dev.posenc.logits.TransformerXlRelative;
import dev.posenc.testing.ReferenceVectors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both kernels against attention outputs computed by torch the way each source computes them. */
class AttentionReferenceVectorsTest {
    /** float32 torch against our double reference and float streaming kernel, relative to the row's max norm. */
    static final double TORCH_REL_TOL = 1e-5;

    static Stream<JsonNode> cases() {
        List<JsonNode> list = new ArrayList<>();
        ReferenceVectors.load("attention").get("cases").forEach(list::add);
        return list.stream();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("cases")
    void bothKernelsEqualTheSourceComputation(JsonNode c) {
        int heads = c.get("heads").asInt();
        int headDim = c.get("head_dim").asInt();
        AttentionSpec spec = new AttentionSpec(heads, c.get("kv_heads").asInt(), headDim, c.get("causal").asBoolean(),
                c.get("softmax_scale").asDouble());
        AttentionEncodings encodings = encodings(c, spec);
        AttentionInputs inputs = new AttentionInputs(ReferenceVectors.floats(c.get("queries")),
                ReferenceVectors.floats(c.get("keys")), ReferenceVectors.floats(c.get("values")),
                new AttentionPositions(c.get("query_length").asInt(), c.get("key_length").asInt(),
                        c.get("first_query_position").asInt()));
        float[] expected = ReferenceVectors.floats(c.get("output"));
        String what = c.get("name").asText() + (spec.causal() ? " causal" : " bidirectional");
        Outputs.assertClose(expected, new ReferenceAttention(spec, encodings).attend(inputs), headDim, TORCH_REL_TOL,
                "reference " + what);
        Outputs.assertClose(expected, new StreamingAttention(spec, encodings).attend(inputs), headDim, TORCH_REL_TOL,
                "streaming " + what);
        assertTrue(expected.length > 0);
    }

    private static AttentionEncodings encodings(JsonNode c, AttentionSpec spec) {
        int heads = spec.numHeads();
        int d = spec.headDim();
        return switch (c.get("name").asText()) {
            case "t5" -> AttentionEncodings.ofBias(new T5RelativeBias(
                    new T5Buckets(c.get("num_buckets").asInt(), c.get("max_distance").asInt(), !spec.causal()), heads,
                    ReferenceVectors.floats(c.get("relative_attention_bias"))));
            case "bloom" -> AttentionEncodings.ofBias(
                    new AlibiBias(ReferenceVectors.doubles(c.get("slopes")), AlibiForm.KEY_POSITION));
            case "mpt" -> AttentionEncodings.ofBias(
                    new AlibiBias(ReferenceVectors.doubles(c.get("slopes")), AlibiForm.CAUSAL));
            case "shaw" -> {
                int k = c.get("max_relative_position").asInt();
                yield AttentionEncodings.ofLogitTerm(new ShawRelativeKeys(k, d, ReferenceVectors.floats(c.get("key_table"))))
                        .withValues(new ShawRelativeValues(k, d, ReferenceVectors.floats(c.get("value_table"))));
            }
            case "xlnet" -> AttentionEncodings.ofLogitTerm(new TransformerXlRelative(heads, d, c.get("d_model").asInt(),
                    ReferenceVectors.floats(c.get("r_w_bias")), ReferenceVectors.floats(c.get("r_r_bias")),
                    ReferenceVectors.floats(c.get("r_net"))));
            case "deberta" -> AttentionEncodings.ofLogitTerm(new DebertaRelative(
                    new DebertaBuckets(c.get("position_buckets").asInt(), c.get("max_relative_positions").asInt()), heads,
                    d, c.get("pos_key").isNull() ? null : ReferenceVectors.floats(c.get("pos_key")),
                    c.get("pos_query").isNull() ? null : ReferenceVectors.floats(c.get("pos_query"))));
            case "kerple_log", "kerple_power" -> AttentionEncodings.ofBias(new KerpleBias(
                    c.get("name").asText().endsWith("log") ? KerpleBias.Kind.LOG : KerpleBias.Kind.POWER,
                    ReferenceVectors.doubles(c.get("r1")), ReferenceVectors.doubles(c.get("r2"))));
            case "fire" -> AttentionEncodings.ofBias(new FireBias(heads, ReferenceVectors.floats(c.get("hidden_weight")),
                    ReferenceVectors.floats(c.get("hidden_bias")), ReferenceVectors.floats(c.get("output_weight")),
                    ReferenceVectors.floats(c.get("output_bias")), c.get("c").asDouble(), c.get("threshold").asDouble()));
            default -> throw new IllegalStateException("unknown case " + c.get("name"));
        };
    }
}
