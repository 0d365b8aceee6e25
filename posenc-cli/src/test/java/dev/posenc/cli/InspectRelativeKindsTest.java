package dev.posenc.cli;

import dev.posenc.testing.HfConfigsFolder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code posenc inspect} on the real non-RoPE configs: the full detail of ALiBi, T5, DeBERTa and learned tables. */
class InspectRelativeKindsTest {
    /** Slopes against the pe-methods values (6 digits) and powers of two (float32 exact). */
    static final double SLOPE_ABS_TOL = 5e-7;

    private static Path config(String name) {
        Path folder = HfConfigsFolder.find().orElse(null);
        assumeTrue(folder != null, "shared hf-configs folder absent");
        return folder.resolve(name);
    }

    private static JsonNode inspect(Path file) throws IOException {
        CliRun run = CliRun.of("inspect", file.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        return JsonOutput.mapper().readTree(run.out());
    }

    @Test
    void bloomSlopesFollowBuildAlibiTensor() throws IOException {
        JsonNode out = inspect(config("bloom-3b-resaved.json"));
        assertEquals("bloom", out.get("slope_rule").asText());
        assertEquals(32, out.get("slopes").size());
        for (int h = 0; h < 32; h++) {
            assertEquals(Math.pow(2, -(h + 1) / 4.0), out.get("slopes").get(h).asDouble(), SLOPE_ABS_TOL, "head " + h);
        }
    }

    @Test
    void mptSlopesFollowGenSlopesForItsTwentyFourHeads() throws IOException {
        JsonNode out = inspect(config("replit-code-v1_5-3b-mpt.json"));
        assertEquals("mpt", out.get("slope_rule").asText());
        JsonNode slopes = out.get("slopes");
        assertEquals(24, slopes.size());
        for (int h = 0; h < 16; h++) {
            assertEquals(Math.pow(2, -(h + 1) / 2.0), slopes.get(h).asDouble(), SLOPE_ABS_TOL, "head " + h);
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(Math.pow(2, -(2 * i + 1) / 4.0), slopes.get(16 + i).asDouble(), SLOPE_ABS_TOL, "head " + (16 + i));
        }
    }

    @Test
    void mptAlibiBiasMaxChangesTheSlopes(@TempDir Path dir) throws IOException {
        Path mpt = dir.resolve("mpt.json");
        Files.writeString(mpt, "{\"model_type\": \"mpt\", \"d_model\": 512, \"n_heads\": 4, "
                + "\"attn_config\": {\"alibi\": true, \"alibi_bias_max\": 16}}");
        JsonNode out = inspect(mpt);
        assertEquals(16.0, out.get("alibi_bias_max").asDouble());
        assertEquals(Math.pow(2, -4), out.get("slopes").get(0).asDouble()); // powers of two: exact
        assertEquals(Math.pow(2, -16), out.get("slopes").get(3).asDouble());
    }

    @Test
    void falconAlibiSlopesAreBloomsInBfloat16AddedBeforeTheScale(@TempDir Path dir) throws IOException {
        Path falcon = dir.resolve("falcon-rw.json");
        Files.writeString(falcon, "{\"model_type\": \"falcon\", \"hidden_size\": 2048, \"num_attention_heads\": 32, "
                + "\"alibi\": true}");
        JsonNode out = inspect(falcon);
        assertEquals("falcon", out.get("slope_rule").asText());
        assertEquals(0.83984375, out.get("slopes").get(0).asDouble()); // bfloat16 values: exact in double
        assertEquals(0.5, out.get("slopes").get(3).asDouble());
        assertEquals("1/sqrt(head_dim)", out.get("bias_scaled_by").asText());
    }

    @Test
    void t5ReportsBucketsOfTheEncoderAndTheDecoderWithDefaultMaxDistance() throws IOException {
        JsonNode out = inspect(config("t5-base.json"));
        assertEquals(128, out.get("relative_attention_max_distance").asInt());
        assertEquals("key - query", out.get("relative_position_sign").asText());
        JsonNode examples = out.get("bucket_examples");
        int[] rp = {-1000, -128, -64, -16, -8, -1, 0, 1, 8, 16, 64, 128, 1000};
        int[] bidirectional = {15, 15, 14, 10, 8, 1, 0, 17, 24, 26, 30, 31, 31};
        int[] causal = {31, 31, 26, 16, 8, 1, 0, 0, 0, 0, 0, 0, 0};
        for (int i = 0; i < rp.length; i++) {
            assertEquals(rp[i], examples.get("relative_position").get(i).asInt());
            assertEquals(bidirectional[i], examples.get("bidirectional_bucket").get(i).asInt(), "rp " + rp[i]);
            assertEquals(causal[i], examples.get("causal_bucket").get(i).asInt(), "rp " + rp[i]);
        }
    }

    @Test
    void debertaReportsSpanScaleAndLogBuckets() throws IOException {
        JsonNode out = inspect(config("deberta-v3-base-qa-derivative.json"));
        assertTrue(out.get("log_buckets").asBoolean());
        assertEquals(256, out.get("att_span").asInt());
        assertEquals(512, out.get("relative_embedding_rows").asInt());
        assertEquals(3, out.get("scale_factor").asInt());
        assertEquals("query - key", out.get("relative_position_sign").asText());
        JsonNode examples = out.get("bucket_examples");
        assertEquals(-317, examples.get("bucket").get(0).asInt());
        assertEquals(128, examples.get("bucket").get(11).asInt());
        assertEquals(317, examples.get("bucket").get(12).asInt());
    }

    @Test
    void bertIsALearnedTableThatDoesNotExtrapolate() throws IOException {
        JsonNode out = inspect(config("bert-base-uncased.json"));
        assertEquals(512, out.get("max_position_embeddings").asInt());
        assertEquals(511, out.get("position_range").get(1).asInt());
        assertFalse(out.get("extrapolates").asBoolean());
    }

    @Test
    void humanFormsCarryTheDetail() {
        CliRun mpt = CliRun.of("inspect", config("replit-code-v1_5-3b-mpt.json").toString());
        assertEquals(0, mpt.exitCode(), mpt.err());
        assertTrue(mpt.out().contains("slope_rule mpt") && mpt.out().contains("0.7071067"), mpt.out());
        CliRun t5 = CliRun.of("inspect", config("t5-base.json").toString());
        assertTrue(t5.out().contains("bidirectional_bucket") && t5.out().contains("causal_bucket"), t5.out());
    }

    @Test
    void debertaParametersThatBreakTheLogBucketsAreAOneLineError(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("deberta.json");
        Files.writeString(bad, "{\"model_type\": \"deberta-v2\", \"hidden_size\": 64, \"num_attention_heads\": 4, "
                + "\"relative_attention\": true, \"position_buckets\": 256, \"max_relative_positions\": 100, "
                + "\"max_position_embeddings\": 512, \"pos_att_type\": \"p2c|c2p\"}");
        CliRun run = CliRun.of("inspect", bad.toString(), "--json");
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("deberta.json") && run.err().contains("max_relative_positions"), run.err());
    }
}
