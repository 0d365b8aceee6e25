package dev.posenc.cli;

import dev.posenc.testing.HfConfigsFolder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code posenc inspect}: the acceptance checks read its JSON; errors follow the CLI contract. */
class InspectCommandTest {
    /** The issue's requirement on inv_freq (relative). */
    static final double INV_FREQ_REL_TOL = 2e-6;
    /** The issue's requirement on attention_scaling (absolute). */
    static final double ATTENTION_SCALING_TOL = 1e-6;

    private static Path folder() {
        Optional<Path> folder = HfConfigsFolder.find();
        assumeTrue(folder.isPresent(), "shared hf-configs folder absent");
        return folder.get();
    }

    private static JsonNode json(CliRun run) throws IOException {
        assertEquals(0, run.exitCode(), run.err());
        return JsonOutput.mapper().readTree(run.out());
    }

    /** The reference vectors of posenc-core (a torch re-implementation of HF v5), found from the module folder. */
    private static JsonNode vectors() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path v = dir.resolve("posenc-core/src/test/resources/reference/rope-frequencies/vectors.json");
            if (Files.isRegularFile(v)) {
                return JsonOutput.mapper().readTree(v.toFile());
            }
        }
        throw new IllegalStateException("posenc-core reference vectors not found above " + Path.of("").toAbsolutePath());
    }

    @TestFactory
    Stream<DynamicTest> jsonAgreesWithHuggingFaceForEveryRealConfig() throws IOException {
        Path folder = folder();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : vectors().get("configs")) {
            String file = v.get("config").asText();
            for (JsonNode c : v.get("cases")) {
                String seqLen = c.get("seq_len").isNull() ? null : c.get("seq_len").asText();
                tests.add(DynamicTest.dynamicTest(file + (seqLen == null ? "" : " --seq-len " + seqLen), () -> {
                    List<String> args = new ArrayList<>(List.of("inspect", folder.resolve(file).toString(), "--json"));
                    if (seqLen != null) {
                        args.addAll(List.of("--seq-len", seqLen));
                    }
                    JsonNode out = json(CliRun.of(args.toArray(String[]::new)));
                    JsonNode rope = v.get("layer_type").isNull()
                            || out.get("layer_type").asText().equals(v.get("layer_type").asText())
                            ? out : out.get("other_layer_types").get(v.get("layer_type").asText());
                    JsonNode expected = c.get("inv_freq");
                    JsonNode actual = rope.get("inv_freq");
                    assertEquals(expected.size(), actual.size(), "inv_freq length");
                    assertEquals(expected.size() * 2, rope.get("rotary_dim").asInt(), "rotary_dim/2 numbers");
                    for (int i = 0; i < expected.size(); i++) {
                        double e = expected.get(i).asDouble();
                        double a = actual.get(i).asDouble();
                        assertEquals(e, a, Math.abs(e) * INV_FREQ_REL_TOL, file + " inv_freq[" + i + "]");
                    }
                    assertEquals(c.get("attention_scaling").asDouble(), rope.get("attention_scaling").asDouble(),
                            ATTENTION_SCALING_TOL, file + " attention_scaling");
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void jsonHasTheIssueSchema() throws IOException {
        JsonNode out = json(CliRun.of("inspect", folder().resolve("llama-3.1-8b.json").toString(), "--json"));
        List<String> keys = new ArrayList<>();
        out.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("kind", "model_type", "seq_len", "rope_type", "layout", "head_dim", "rotary_dim", "rope_theta",
                "inv_freq", "attention_scaling", "max_position_embeddings", "original_max_position_embeddings",
                "geometry", "warnings"), keys);
        assertEquals("rope", out.get("kind").asText());
        assertEquals("llama", out.get("model_type").asText());
        assertEquals("llama3", out.get("rope_type").asText());
        assertEquals("half", out.get("layout").asText());
        assertEquals(500000.0, out.get("rope_theta").asDouble());
        assertEquals(8192, out.get("original_max_position_embeddings").asInt());
        assertEquals(64, out.get("inv_freq").size());
        assertEquals(0, out.get("warnings").size());
    }

    @Test
    void jsonOfMultimodalAndInterleavedModels() throws IOException {
        JsonNode qwen = json(CliRun.of("inspect", folder().resolve("qwen3-vl-32b-instruct-trimmed.json").toString(),
                "--json"));
        assertEquals("[24,20,20]", qwen.get("mrope_section").toString());
        assertTrue(qwen.get("mrope_interleaved").asBoolean());
        assertTrue(qwen.get("original_max_position_embeddings").isNull());
        JsonNode glm = json(CliRun.of("inspect", folder().resolve("chatglm3-6b.json").toString(), "--json"));
        assertEquals("interleaved", glm.get("layout").asText());
        assertEquals(64, glm.get("rotary_dim").asInt());
        assertEquals(128, glm.get("head_dim").asInt());
    }

    @Test
    void jsonOfPerLayerTypeRope(@TempDir Path dir) throws IOException {
        Path gemma3 = dir.resolve("gemma3.json");
        Files.writeString(gemma3, "{\"model_type\": \"gemma3_text\", \"hidden_size\": 2560, \"num_attention_heads\": 8, "
                + "\"head_dim\": 256, \"max_position_embeddings\": 131072, \"rope_theta\": 1000000.0, "
                + "\"rope_local_base_freq\": 10000.0, \"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 8.0}}");
        JsonNode out = json(CliRun.of("inspect", gemma3.toString(), "--json"));
        assertEquals("full_attention", out.get("layer_type").asText());
        assertEquals("linear", out.get("rope_type").asText());
        assertEquals(0.125, out.get("inv_freq").get(0).asDouble());
        JsonNode sliding = out.get("other_layer_types").get("sliding_attention");
        assertEquals("default", sliding.get("rope_type").asText());
        assertEquals(10000.0, sliding.get("rope_theta").asDouble());
        assertEquals(128, sliding.get("inv_freq").size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            bloom-3b-resaved.json              | {"kind":"alibi","model_type":"bloom","num_heads":32,"alibi_bias_max":8.0,"warnings":[]}
            replit-code-v1_5-3b-mpt.json       | {"kind":"alibi","model_type":"mpt","num_heads":24,"alibi_bias_max":8.0,"warnings":[]}
            t5-base.json                       | {"kind":"t5_relative_bias","model_type":"t5","relative_attention_num_buckets":32,"relative_attention_max_distance":128,"num_heads":12,"warnings":[]}
            deberta-v3-base-qa-derivative.json | {"kind":"deberta_relative","model_type":"deberta-v2","position_buckets":256,"max_relative_positions":512,"pos_att_type":["p2c","c2p"],"max_position_embeddings":512,"position_biased_input":false,"warnings":[]}
            bert-base-uncased.json             | {"kind":"learned_absolute","model_type":"bert","max_position_embeddings":512,"warnings":[]}
            """)
    void jsonOfModelsWithoutRope(String file, String expected) throws IOException {
        JsonNode out = json(CliRun.of("inspect", folder().resolve(file).toString(), "--json"));
        JsonNode parameters = JsonOutput.mapper().readTree(expected);
        parameters.fieldNames().forEachRemaining(key -> assertEquals(parameters.get(key), out.get(key), file + " " + key));
    }

    @Test
    void humanFormShowsOneRowPerPair() {
        CliRun run = CliRun.of("inspect", folder().resolve("llama-3.1-8b.json").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        List<String> rows = run.out().lines().filter(l -> l.matches("\\s+\\d+\\s+.*")).toList();
        assertEquals(64, rows.size());
        assertTrue(rows.get(0).matches("\\s+0\\s+1\\.0\\s+6\\.3\\s+kept"), rows.get(0));
        assertTrue(rows.get(30).endsWith("blended"), rows.get(30));
        assertTrue(rows.get(63).endsWith("interpolated"), rows.get(63));
        assertTrue(run.out().contains("attention_scaling 1.0"), run.out());
        assertTrue(run.out().contains("original_max_position_embeddings 8192"), run.out());
        assertTrue(run.out().contains("warnings: none"), run.out());
    }

    @Test
    void seqLenSelectsTheLongFactorsAndGrowsDynamicNtk() throws IOException {
        String phi = folder().resolve("phi-3.5-mini-instruct.json").toString();
        double atInit = json(CliRun.of("inspect", phi, "--json")).get("inv_freq").get(0).asDouble();
        double at4096 = json(CliRun.of("inspect", phi, "--json", "--seq-len", "4096")).get("inv_freq").get(0).asDouble();
        double at4097 = json(CliRun.of("inspect", phi, "--json", "--seq-len", "4097")).get("inv_freq").get(0).asDouble();
        assertEquals(atInit, at4096);
        assertTrue(at4097 < at4096, "long factors above original_max_position_embeddings");
        String internlm = folder().resolve("internlm2-chat-7b-dynamic.json").toString();
        double grown = json(CliRun.of("inspect", internlm, "--json", "--seq-len", "65536")).get("inv_freq").get(1)
                .asDouble();
        double init = json(CliRun.of("inspect", internlm, "--json")).get("inv_freq").get(1).asDouble();
        assertTrue(grown < init, "dynamic NTK lowers the frequencies above max_position_embeddings");
    }

    @Test
    void warningsGoToStderrAndIntoTheJson() throws IOException {
        String falcon = folder().resolve("falcon-7b-instruct.json").toString();
        CliRun run = CliRun.of("inspect", falcon, "--json");
        JsonNode out = json(run);
        assertEquals(1, out.get("warnings").size());
        assertEquals("max_position_embeddings: not set; using 2048, the default of Hugging Face's config for "
                + "\"falcon\"", out.get("warnings").get(0).asText());
        assertEquals("posenc: warning: " + falcon + ": " + out.get("warnings").get(0).asText(), run.err().strip());
        CliRun human = CliRun.of("inspect", falcon);
        assertTrue(human.out().contains("warnings:\n  max_position_embeddings: not set"), human.out());
    }

    @Test
    void seqLenOnAModelWithoutRopeIsWarnedAbout() throws IOException {
        JsonNode out = json(CliRun.of("inspect", folder().resolve("t5-base.json").toString(), "--json",
                "--seq-len", "512"));
        assertEquals("--seq-len has no effect: the model uses t5_relative_bias, not RoPE",
                out.get("warnings").get(0).asText());
    }

    // ---------------------------------------------------------------------------------------------------------
    // errors: exit 2, one line on stderr naming file, key path and expectation, nothing on stdout
    // ---------------------------------------------------------------------------------------------------------

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(InspectCommandTest.class.getResource("/malformed/" + name).toURI());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            syntax-trailing-comma.json     | line 4, column 1: expected a string key, got '}'
            syntax-comment.json            | line 2, column 3: expected a string key, got a comment (JSON has none)
            syntax-unterminated.json       | line 4, column 1: expected ',' or '}', got the end of the document
            empty.json                     | line 1, column 1: expected a value, got the end of the document
            not-an-object.json             | expected a JSON object at the top level, got a list of 1 value
            missing-model-type.json        | model_type: expected a string naming the model family, got nothing
            factor-nan.json                | rope_scaling.factor: expected a number, got NaN
            factor-string.json             | rope_scaling.factor: expected a number, got "eight"
            factor-zero-in-float32.json    | rope_scaling.factor: expected a number > 0 that float32 can hold (between 1.4e-45 and 3.4e38, as Hugging Face's tensors do), got 1e-46
            factor-missing.json            | rope_scaling.factor: expected a value (required for rope_type "dynamic"), got nothing
            theta-zero.json                | rope_theta: expected a finite number > 0, got 0
            theta-infinity.json            | rope_theta: expected a number > 0, got Infinity
            theta-string.json              | rope_theta: expected a number > 0, got "1e4"
            yarn-attention-factor-huge.json | rope_scaling.attention_factor: expected a value giving an attention scaling in (0, 1.8e19] (cos and sin are multiplied by it and attention logits by its square, which float32 must hold; this gives 1.0E300), got 1e300
            llama3-missing-high.json       | rope_scaling.high_freq_factor: expected a value (required for rope_type "llama3"), got nothing
            longrope-wrong-length.json     | rope_scaling.short_factor: expected a list of 64 numbers > 0 (rotary_dim / 2), got a list of 3 values
            rotary-dim-odd.json            | partial_rotary_factor: expected a value giving an even rotary dimension >= 2 (int(head_dim 128 * 0.3047) = 39), got 0.3047
            partial-factor-above-one.json  | partial_rotary_factor: expected a number in (0, 1], got 1.25
            heads-do-not-divide.json       | hidden_size: expected a multiple of num_attention_heads = 32 (head_dim is not set), got 4100
            unknown-rope-type.json         | rope_scaling.rope_type: expected one of "default", "linear", "dynamic", "yarn", "longrope", "llama3", "proportional", "ntk", got "superrope"
            yarn-beta-negative.json        | rope_scaling.beta_fast: expected a finite number > 0, got -32
            mrope-section-sum.json         | rope_scaling.mrope_section: expected a list of positive integers summing to rotary_dim / 2 = 64, got a list of 3 values
            t5-heads-string.json           | num_heads: expected a positive integer, got "twelve"
            """)
    void malformedConfigsGiveOneClearLine(String file, String expected) throws URISyntaxException {
        Path path = fixture(file);
        for (String[] args : List.of(new String[] {"inspect", path.toString()},
                new String[] {"inspect", path.toString(), "--json"})) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exitCode(), run.err());
            assertEquals("", run.out());
            assertEquals("posenc: " + path + ": " + expected, run.err().strip());
            assertEquals(1, run.err().lines().count(), run.err());
        }
    }

    @Test
    void unreadableInputsAreUserErrors(@TempDir Path dir) throws IOException {
        CliRun missing = CliRun.of("inspect", dir.resolve("nope.json").toString());
        assertEquals(2, missing.exitCode());
        assertEquals("", missing.out());
        assertEquals("posenc: " + dir.resolve("nope.json") + ": cannot read: no such file", missing.err().strip());
        Path bytes = dir.resolve("latin1.json");
        Files.write(bytes, new byte[] {'{', '"', (byte) 0xFF, '"', ':', '1', '}'});
        CliRun invalid = CliRun.of("inspect", bytes.toString());
        assertEquals("posenc: " + bytes + ": expected UTF-8 text, got invalid bytes", invalid.err().strip());
        CliRun directory = CliRun.of("inspect", dir.toString());
        assertEquals(2, directory.exitCode());
        assertEquals("", directory.out());
        assertEquals(1, directory.err().lines().count(), directory.err());
        assertFalse(directory.err().contains("Exception"), directory.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            -1          | posenc: --seq-len: expected an integer from 0 (at initialisation) to 2^31 = 2147483648, got -1
            -5          | posenc: --seq-len: expected an integer from 0 (at initialisation) to 2^31 = 2147483648, got -5
            5000000000  | posenc: --seq-len: expected an integer from 0 (at initialisation) to 2^31 = 2147483648, got 5000000000
            """)
    void badSeqLenIsAUserError(String value, String expected) {
        CliRun run = CliRun.of("inspect", folder().resolve("llama-3.1-8b.json").toString(), "--seq-len", value);
        assertEquals(2, run.exitCode());
        assertEquals("", run.out());
        assertEquals(expected, run.err().strip());
    }

    @Test
    void nonNumericSeqLenAndMissingConfigAreUsageErrors() {
        CliRun words = CliRun.of("inspect", "x.json", "--seq-len", "long");
        assertEquals(2, words.exitCode());
        assertEquals("", words.out());
        assertEquals(1, words.err().lines().count(), words.err());
        CliRun none = CliRun.of("inspect");
        assertEquals(2, none.exitCode());
        assertEquals(1, none.err().lines().count(), none.err());
    }

    @Test
    void noStackTraceForAnyFixture() throws IOException, URISyntaxException {
        Path dir = fixture("empty.json").getParent();
        try (Stream<Path> files = Files.list(dir)) {
            for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                CliRun run = CliRun.of("inspect", it.next().toString(), "--json");
                assertEquals(2, run.exitCode(), run.err());
                assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
            }
        }
    }

    @Test
    void aModelFolderIsReadThroughItsConfigJson(@TempDir Path dir) throws IOException {
        Files.copy(folder().resolve("llama-3.1-8b.json"), dir.resolve("config.json"));
        CliRun run = CliRun.of("inspect", dir.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith(dir.resolve("config.json") + ": model_type llama, rope"), run.out());
    }

    @Test
    void standardInputIsReadForADash() throws IOException {
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(Files.newInputStream(folder().resolve("llama-3.1-8b.json")));
            CliRun run = CliRun.of("inspect", "-", "--json");
            assertEquals(0, run.exitCode(), run.err());
            assertEquals("llama3", json(run).get("rope_type").asText());
            System.setIn(new java.io.ByteArrayInputStream("{\"model_type\": \"llama\"".getBytes()));
            CliRun bad = CliRun.of("inspect", "-");
            assertEquals(2, bad.exitCode());
            assertTrue(bad.err().startsWith("posenc: (standard input): "), bad.err());
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void seqLenZeroIsInitialisationAndIsEchoed() throws IOException {
        Path config = folder().resolve("llama-3.1-8b.json");
        JsonNode zero = json(CliRun.of("inspect", config.toString(), "--seq-len", "0", "--json"));
        JsonNode none = json(CliRun.of("inspect", config.toString(), "--json"));
        assertEquals(0, zero.get("seq_len").asLong());
        assertEquals(none.get("inv_freq"), zero.get("inv_freq"));
        assertEquals(4096, json(CliRun.of("inspect", config.toString(), "--seq-len", "4096", "--json"))
                .get("seq_len").asLong());
    }

    @Test
    void seqLenBeyondMaxPositionEmbeddingsIsWarned() {
        CliRun run = CliRun.of("inspect", folder().resolve("llama-3.1-8b.json").toString(), "--seq-len", "200000");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.err().contains("--seq-len 200000 exceeds max_position_embeddings 131072"), run.err());
        CliRun within = CliRun.of("inspect", folder().resolve("llama-3.1-8b.json").toString(), "--seq-len", "131072");
        assertFalse(within.err().contains("exceeds"), within.err());
    }

    @Test
    void jsonGeometryListsEveryLayerAsTheModelCodeBuildsIt() throws IOException {
        JsonNode geometry = json(CliRun.of("inspect", folder().resolve("gemma-2-9b-it.json").toString(), "--json"))
                .get("geometry");
        assertEquals(42, geometry.get("num_layers").asInt());
        JsonNode sliding = geometry.get("layers").get(0);
        JsonNode global = geometry.get("layers").get(1);
        assertEquals("sliding_attention", sliding.get("layer_type").asText());
        assertEquals(4096, sliding.get("sliding_window").asInt());
        assertTrue(global.get("sliding_window").isNull());
        assertEquals(16, global.get("query_heads").asInt());
        assertEquals(8, global.get("kv_heads").asInt());
        assertEquals("rope", global.get("encoding").asText());
        assertEquals(Math.pow(224, -0.5), global.get("softmax_scale").asDouble(), 0.0);  // query_pre_attn_scalar
        assertEquals(50.0, global.get("logit_softcapping").asDouble(), 0.0);
    }

    @Test
    void textShowsTheGeometryGroupedByLayer() {
        CliRun run = CliRun.of("inspect", folder().resolve("deepseek-v3-base.json").toString());
        assertTrue(run.out().contains("layers 0-60: full_attention, heads 128/128 (q/kv), head_dim 192 (v 128), rope "
                + "yarn theta 10000 on [128, 192) of q, keys: one shared k_pe head of 64"), run.out());
    }

    @Test
    void aRopeConfigWithoutHeadCountsShowsItsRopeAndSaysWhyNoGeometry(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("gemma3.json");
        Files.writeString(config, "{\"model_type\": \"gemma3_text\", \"head_dim\": 256, "
                + "\"max_position_embeddings\": 32768, \"rope_theta\": 1000000.0}");
        CliRun run = CliRun.of("inspect", config.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode out = json(run);
        assertFalse(out.has("geometry"));
        assertTrue(out.get("warnings").toString().contains("attention geometry not shown: num_attention_heads"),
                out.get("warnings").toString());
    }
}
