package dev.posenc.config;

import dev.posenc.testing.HfConfigsFolder;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RopeType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class HfConfigTest {
    private static PositionConfig parse(String json) {
        return HfConfig.parse(json, "c.json");
    }

    private static RopeSpec rope(String json) {
        return ((RopeEncoding) parse(json).encoding()).spec();
    }

    private static String phi(String extra) {
        return "{\"model_type\": \"phi\", \"hidden_size\": 4096, \"num_attention_heads\": 32, "
                + "\"max_position_embeddings\": 2048" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    private static String llama(String extra) {
        return "{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_attention_heads\": 32, "
                + "\"max_position_embeddings\": 131072" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    // ---------------------------------------------------------------------------------------------------------
    // the real configs: every file loads, with its family's semantics
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void everySharedConfigLoads() throws IOException {
        Optional<Path> folder = HfConfigsFolder.find();
        assumeTrue(folder.isPresent(), "shared hf-configs folder absent");
        try (Stream<Path> files = Files.list(folder.get())) {
            List<Path> configs = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertEquals(41, configs.size(), "the shared folder holds 41 configs");
            for (Path p : configs) {
                PositionConfig c = HfConfig.load(p);
                assertEquals(p.toString(), c.source());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            llama-3.1-8b.json                      | llama3   | half        | 128 | 128 | 500000  | 131072 | 8192
            llama-3.2-1b.json                      | llama3   | half        | 64  | 64  | 500000  | 131072 | 8192
            llama-2-7b-hf-early.json               | default  | half        | 128 | 128 | 10000   | 2048   |
            codellama-7b-derivative.json           | default  | half        | 128 | 128 | 1000000 | 16384  |
            deepseek-coder-6.7b-instruct.json      | linear   | half        | 128 | 128 | 100000  | 16384  |
            mistral-7b-v0.1.json                   | default  | half        | 128 | 128 | 10000   | 32768  |
            qwen3-8b.json                          | default  | half        | 128 | 128 | 1000000 | 40960  |
            qwen2.5-1.5b-instruct-tf5-resave.json  | default  | half        | 128 | 128 | 1000000 | 32768  |
            gemma-2b-it.json                       | default  | half        | 256 | 256 | 10000   | 8192   |
            phi-2.json                             | default  | half        | 80  | 32  | 10000   | 2048   |
            phi-2-mixformer-early.json             | default  | half        | 80  | 32  | 10000   | 2048   |
            phi-3.5-mini-instruct.json             | longrope | half        | 96  | 96  | 10000   | 131072 | 4096
            phi-3-mini-128k-instruct-su.json       | longrope | half        | 96  | 96  | 10000   | 131072 | 4096
            stable-code-3b.json                    | default  | half        | 80  | 20  | 1000000 | 16384  |
            redpajama-incite-7b-base-gptneox.json  | default  | half        | 128 | 128 | 10000   | 2048   |
            pythia-1.4b-oasst-rm-derivative.json   | default  | half        | 128 | 32  | 10000   | 2048   |
            gpt-j-6b.json                          | default  | interleaved | 256 | 64  | 10000   | 2048   |
            chatglm3-6b.json                       | default  | interleaved | 128 | 64  | 10000   | 8192   |
            chatglm3-6b-32k-int4-derivative.json   | default  | interleaved | 128 | 64  | 500000  | 32768  |
            deepseek-v3-base.json                  | yarn     | interleaved | 64  | 64  | 10000   | 163840 | 4096
            kimi-k2-instruct.json                  | yarn     | interleaved | 64  | 64  | 50000   | 131072 | 4096
            gpt-oss-20b.json                       | yarn     | half        | 64  | 64  | 150000  | 131072 | 4096
            internlm2-chat-7b-dynamic.json         | dynamic  | half        | 128 | 128 | 1000000 | 32768  |
            falcon-7b-rw.json                      | default  | half        | 64  | 64  | 10000   | 2048   |
            falcon-7b-instruct.json                | default  | half        | 64  | 64  | 10000   | 2048   |
            qwen2-vl-7b-olmocr.json                | default  | half        | 128 | 128 | 1000000 | 32768  |
            qwen2.5-vl-7b-instruct.json            | default  | half        | 128 | 128 | 1000000 | 128000 |
            qwen3-vl-32b-instruct-trimmed.json     | default  | half        | 128 | 128 | 5000000 | 262144 |
            """)
    void readsEachFamilyAsItsModelCodeDoes(String file, String ropeType, String layout, int headDim, int rotaryDim,
                                           double theta, int maxpos, Integer l0) {
        Optional<Path> folder = HfConfigsFolder.find();
        assumeTrue(folder.isPresent(), "shared hf-configs folder absent");
        RopeSpec spec = ((RopeEncoding) HfConfig.load(folder.get().resolve(file)).encoding()).spec();
        assertEquals(ropeType, spec.ropeType().id());
        assertEquals(layout, spec.layout().id());
        assertEquals(headDim, spec.headDim());
        assertEquals(rotaryDim, spec.rotaryDim());
        assertEquals(theta, spec.ropeTheta());
        assertEquals(maxpos, spec.maxPositionEmbeddings());
        assertEquals(l0 == null ? OptionalInt.empty() : OptionalInt.of(l0),
                spec.originalMaxPositionEmbeddings());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bert-base-uncased.json               | learned_absolute
            t5-base.json                         | t5_relative_bias
            deberta-v3-base-qa-derivative.json   | deberta_relative
            bloom-3b-resaved.json                | alibi
            replit-code-v1_5-3b-mpt.json         | alibi
            """)
    void readsTheOtherKinds(String file, String kind) {
        Optional<Path> folder = HfConfigsFolder.find();
        assumeTrue(folder.isPresent(), "shared hf-configs folder absent");
        assertEquals(kind, HfConfig.load(folder.get().resolve(file)).encoding().kind());
    }

    @Test
    void readsTheOtherKindsParameters() {
        Optional<Path> folder = HfConfigsFolder.find();
        assumeTrue(folder.isPresent(), "shared hf-configs folder absent");
        Path f = folder.get();
        assertEquals(new LearnedAbsoluteEncoding(512), HfConfig.load(f.resolve("bert-base-uncased.json")).encoding());
        assertEquals(new T5Encoding(32, 128, 12), HfConfig.load(f.resolve("t5-base.json")).encoding());
        assertEquals(new DebertaEncoding(256, 512, List.of("p2c", "c2p"), 512, false),
                HfConfig.load(f.resolve("deberta-v3-base-qa-derivative.json")).encoding());
        assertEquals(new AlibiEncoding(32, 8), HfConfig.load(f.resolve("bloom-3b-resaved.json")).encoding());
        assertEquals(new AlibiEncoding(24, 8), HfConfig.load(f.resolve("replit-code-v1_5-3b-mpt.json")).encoding());
        RopeEncoding qwen3vl = (RopeEncoding) HfConfig.load(f.resolve("qwen3-vl-32b-instruct-trimmed.json"))
                .encoding();
        assertEquals(new MRopeSection(new int[] {24, 20, 20}, true), qwen3vl.mrope().orElseThrow());
        RopeEncoding qwen2vl = (RopeEncoding) HfConfig.load(f.resolve("qwen2-vl-7b-olmocr-firstupload.json"))
                .encoding();
        assertEquals(new MRopeSection(new int[] {16, 24, 24}, false), qwen2vl.mrope().orElseThrow());
    }

    // ---------------------------------------------------------------------------------------------------------
    // standardization
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void v4AndV5FormsAgree() {
        RopeSpec v4 = rope(llama("\"rope_theta\": 500000.0, \"rope_scaling\": {\"rope_type\": \"llama3\", "
                + "\"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                + "\"original_max_position_embeddings\": 8192}"));
        RopeSpec v5 = rope(llama("\"rope_parameters\": {\"rope_type\": \"llama3\", \"rope_theta\": 500000.0, "
                + "\"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                + "\"original_max_position_embeddings\": 8192}"));
        assertEquals(v4, v5);
        assertEquals(new RopeScaling.Llama3(8, 1, 4, 8192), v4.scaling());
    }

    @Test
    void typeIsAnAliasOfRopeTypeAndSuOfLongrope() {
        assertEquals(RopeType.LINEAR, rope(llama("\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2}"))
                .ropeType());
        PositionConfig c = parse(llama("\"rope_scaling\": {\"type\": \"linear\", \"rope_type\": \"dynamic\", "
                + "\"factor\": 2}"));
        assertEquals(RopeType.DYNAMIC, ((RopeEncoding) c.encoding()).spec().ropeType());
        assertEquals(List.of("rope_scaling.type: differs from rope_type \"dynamic\"; rope_type is used"),
                c.warnings());
        String su = "\"rope_scaling\": {\"type\": \"su\", \"short_factor\": " + ones(64) + ", \"long_factor\": "
                + ones(64) + ", \"factor\": 4}";
        PositionConfig suConfig = parse(llama(su));
        assertEquals(RopeType.LONGROPE, ((RopeEncoding) suConfig.encoding()).spec().ropeType());
        assertTrue(suConfig.warnings().contains(
                "rope_scaling.type: \"su\" is the old name of \"longrope\"; read as longrope"), suConfig.warnings()::toString);
    }

    private static String ones(int n) {
        return "[" + String.join(", ", Collections.nCopies(n, "1.0")) + "]";
    }

    @Test
    void ropeThetaInsideTheDictWinsWithAWarning() {
        PositionConfig c = parse(llama("\"rope_theta\": 10000, \"rope_parameters\": {\"rope_theta\": 500000}"));
        assertEquals(500000, ((RopeEncoding) c.encoding()).spec().ropeTheta());
        assertEquals(List.of("rope_parameters.rope_theta: 500000 differs from rope_theta 10000; the rope dict's "
                + "value is used, as in Hugging Face"), c.warnings());
    }

    @Test
    void partialRotaryFactorFromEitherPlace() {
        assertEquals(64, rope(phi("\"partial_rotary_factor\": 0.5")).rotaryDim());
        assertEquals(32, rope(phi("\"rope_parameters\": {\"rope_type\": \"default\", \"partial_rotary_factor\": 0.25}"))
                .rotaryDim());
        assertEquals(64, rope("{\"model_type\": \"phi\", \"hidden_size\": 2560, \"num_attention_heads\": 20, "
                + "\"max_position_embeddings\": 2048}").rotaryDim(), "PhiConfig defaults partial_rotary_factor to 0.5");
    }

    @Test
    void topLevelPartialRotaryFactorWinsOnlyForScaledTypes() {
        PositionConfig c = parse(phi("\"partial_rotary_factor\": 0.5, \"rope_parameters\": {\"rope_type\": "
                + "\"default\", \"partial_rotary_factor\": 0.25}"));
        assertEquals(32, ((RopeEncoding) c.encoding()).spec().rotaryDim(), "default: the dict's (setdefault)");
        assertEquals(List.of("partial_rotary_factor: 0.5 differs from rope_parameters.partial_rotary_factor 0.25; for "
                + "rope type \"default\" Hugging Face uses the rope dict's (convert_rope_params_to_dict only "
                + "setdefaults it)"), c.warnings());
        PositionConfig linear = parse(phi("\"partial_rotary_factor\": 0.5, \"rope_parameters\": {\"rope_type\": "
                + "\"linear\", \"factor\": 2, \"partial_rotary_factor\": 0.25}"));
        assertEquals(64, ((RopeEncoding) linear.encoding()).spec().rotaryDim(), "scaled: standardized again");
        assertEquals(List.of("rope_parameters.partial_rotary_factor: 0.25 is overridden by the top-level "
                + "partial_rotary_factor 0.5, as in Hugging Face (rope type \"linear\" standardizes again, assigning "
                + "the config's attribute)"), linear.warnings());
    }

    @Test
    void llamaRotatesTheWholeHeadWhateverThePartialFactor() {
        PositionConfig c = parse(llama("\"partial_rotary_factor\": 0.5"));
        assertEquals(128, ((RopeEncoding) c.encoding()).spec().rotaryDim(), "LlamaRotaryEmbedding uses head_dim");
        assertEquals(List.of("partial_rotary_factor: llama's model code rotates the whole head (its "
                + "compute_default_rope_parameters does not read partial_rotary_factor); ignored"), c.warnings());
        ConfigException e = assertThrows(ConfigException.class, () -> parse(llama("\"partial_rotary_factor\": 0.5, "
                + "\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2}")));
        assertEquals("c.json: partial_rotary_factor: expected 1 or nothing: llama's attention rotates the whole head "
                + "of 128, but rope_type \"linear\" builds int(head_dim * partial_rotary_factor) / 2 = 32 "
                + "frequencies, so Hugging Face's forward pass fails (shape mismatch), got 0.5", e.getMessage());
    }

    @Test
    void gptNeoxReadsItsOwnKeys() {
        String neox = "{\"model_type\": \"gpt_neox\", \"hidden_size\": 2048, \"num_attention_heads\": 16, "
                + "\"max_position_embeddings\": 2048%s}";
        RopeSpec defaults = rope(neox.formatted(""));
        assertEquals(32, defaults.rotaryDim(), "rotary_pct defaults to 0.25");
        assertEquals(10000, defaults.ropeTheta());
        PositionConfig c = parse(neox.formatted(", \"rotary_pct\": 0.5, \"partial_rotary_factor\": 0.25, "
                + "\"rotary_emb_base\": 20000, \"rope_theta\": 30000"));
        RopeSpec spec = ((RopeEncoding) c.encoding()).spec();
        assertEquals(64, spec.rotaryDim());
        assertEquals(20000, spec.ropeTheta());
        assertEquals(List.of("rope_theta: GPTNeoXConfig reads rotary_emb_base (20000 here), not rope_theta; ignored",
                "partial_rotary_factor: GPTNeoXConfig reads rotary_pct, not a top-level partial_rotary_factor; 0.5 is "
                        + "used (rotary_pct)"),
                c.warnings());
        assertEquals(16, rope(neox.formatted(", \"head_dim\": 64")).rotaryDim(), "head_dim is honoured");
    }

    @Test
    void phi3RejectsRopeTypesItsConfigRejects() {
        String phi3 = "{\"model_type\": \"phi3\", \"hidden_size\": 3072, \"num_attention_heads\": 32, "
                + "\"max_position_embeddings\": 131072, \"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 2}}";
        ConfigException e = assertThrows(ConfigException.class, () -> parse(phi3));
        assertEquals("c.json: rope_scaling.type: expected \"default\" or \"longrope\" (Phi3Config.validate_rope "
                + "raises ValueError for other rope types), got \"dynamic\"", e.getMessage());
    }

    @Test
    void phi3OriginalSuReleaseLoadsAsTransformers4DidWithAWarning() {
        String phi3 = "{\"model_type\": \"phi3\", \"hidden_size\": 3072, \"num_attention_heads\": 32, "
                + "\"max_position_embeddings\": 131072, \"original_max_position_embeddings\": 4096, "
                + "\"rope_scaling\": {\"type\": \"su\", \"short_factor\": " + ones(48) + ", \"long_factor\": "
                + ones(48) + "}}";
        PositionConfig c = parse(phi3);
        assertEquals(RopeType.LONGROPE, ((RopeEncoding) c.encoding()).spec().ropeType());
        assertEquals(List.of("rope_scaling.type: \"su\" is read as \"longrope\" as transformers 4 did; "
                + "transformers 5 rejects this file (Phi3Config renames su to longrope after standardizing, so "
                + "rope_scaling.original_max_position_embeddings is never set and validate_rope raises KeyError)"),
                c.warnings());
    }

    @Test
    void ropeScalingOverV5RopeParametersDropsTheBase() {
        String qwen = "{\"model_type\": \"qwen2\", \"hidden_size\": 5120, \"num_attention_heads\": 40, "
                + "\"max_position_embeddings\": 32768, \"rope_parameters\": {\"rope_type\": \"default\", "
                + "\"rope_theta\": 1000000.0}, \"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4.0, "
                + "\"original_max_position_embeddings\": 32768}}";
        PositionConfig c = parse(qwen);
        assertEquals(10000, ((RopeEncoding) c.encoding()).spec().ropeTheta());
        assertTrue(c.warnings().contains("rope_scaling: replaces rope_parameters whole (Hugging Face: rope_parameters "
                + "= rope_scaling or rope_parameters), so rope_parameters.rope_theta 1000000 is dropped and 10000 is "
                + "used (the default)"), () -> c.warnings().toString());
    }

    @Test
    void topLevelOriginalLengthWinsForPhi3() {
        String phi3 = "{\"model_type\": \"phi3\", \"hidden_size\": 3072, \"num_attention_heads\": 32, "
                + "\"max_position_embeddings\": 131072, \"original_max_position_embeddings\": 4096, "
                + "\"rope_scaling\": {\"type\": \"longrope\", \"short_factor\": " + ones(48) + ", \"long_factor\": "
                + ones(48) + ", \"original_max_position_embeddings\": 8192}}";
        PositionConfig c = parse(phi3);
        assertEquals(4096, ((RopeEncoding) c.encoding()).spec().originalMaxPositionEmbeddings().getAsInt());
        assertTrue(c.warnings().contains("rope_scaling.original_max_position_embeddings: 8192 is overridden by the "
                + "top-level original_max_position_embeddings 4096, as in Hugging Face"), c.warnings()::toString);
    }

    @Test
    void originalLengthDefaultsToMaxPositions() {
        RopeSpec spec = rope(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4}"));
        assertEquals(131072, spec.originalMaxPositionEmbeddings().getAsInt());
    }

    @Test
    void yarnDefaultsAndQuirks() {
        RopeSpec spec = rope(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, "
                + "\"original_max_position_embeddings\": 32768, \"beta_fast\": 0, \"beta_slow\": null}"));
        RopeScaling.Yarn yarn = (RopeScaling.Yarn) spec.scaling();
        assertEquals(32, yarn.betaFast(), "`beta_fast or 32` turns 0 into 32");
        assertEquals(1, yarn.betaSlow());
        assertTrue(yarn.truncate());
        assertEquals(0, yarn.mscale());
        RopeSpec nullFactor = rope(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": null, "
                + "\"original_max_position_embeddings\": 4096}"));
        assertEquals(32, ((RopeScaling.Yarn) nullFactor.scaling()).factor(), "max_position_embeddings / L0");
    }

    @Test
    void textConfigHoldsTheTextModel() {
        PositionConfig c = parse("{\"model_type\": \"qwen3_vl\", \"text_config\": {\"model_type\": \"qwen3_vl_text\", "
                + "\"hidden_size\": 5120, \"num_attention_heads\": 64, \"head_dim\": 128, "
                + "\"max_position_embeddings\": 262144, \"rope_theta\": 5000000, \"rope_scaling\": "
                + "{\"rope_type\": \"default\", \"mrope_section\": [24, 20, 20], \"mrope_interleaved\": true}}}");
        assertEquals("qwen3_vl", c.modelType());
        assertEquals(5_000_000, ((RopeEncoding) c.encoding()).spec().ropeTheta());
        assertEquals(List.of(), c.warnings());
    }

    @Test
    void gemma3V4FormSplitsGlobalAndLocalLayers() {
        RopeEncoding e = (RopeEncoding) parse("{\"model_type\": \"gemma3_text\", \"hidden_size\": 2560, "
                + "\"num_attention_heads\": 8, \"head_dim\": 256, \"max_position_embeddings\": 131072, "
                + "\"rope_theta\": 1000000.0, \"rope_local_base_freq\": 10000.0, "
                + "\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 8.0}}").encoding();
        assertEquals(Optional.of("full_attention"), e.layerType());
        assertEquals(new RopeSpec(256, 256, RopeLayout.HALF, 1e6, 131072, new RopeScaling.Linear(8)), e.spec());
        assertEquals(new RopeSpec(256, 256, RopeLayout.HALF, 1e4, 131072, new RopeScaling.Default()),
                e.otherLayerTypes().get("sliding_attention"));
    }

    @Test
    void gemma3DefaultsWhenNothingIsSet() {
        RopeEncoding e = (RopeEncoding) parse("{\"model_type\": \"gemma3\", \"text_config\": {\"model_type\": "
                + "\"gemma3_text\", \"hidden_size\": 2560, \"num_attention_heads\": 8}}").encoding();
        assertEquals(1e6, e.spec().ropeTheta());
        assertEquals(1e4, e.otherLayerTypes().get("sliding_attention").ropeTheta());
        assertEquals(256, e.spec().headDim());
    }

    @Test
    void perLayerTypeDictsOfV5() {
        PositionConfig c = parse(llama("\"layer_types\": [\"sliding_attention\", \"full_attention\"], "
                + "\"rope_parameters\": {\"sliding_attention\": {\"rope_type\": \"default\", \"rope_theta\": 10000}, "
                + "\"full_attention\": {\"rope_type\": \"yarn\", \"factor\": 8, \"rope_theta\": 1000000, "
                + "\"original_max_position_embeddings\": 16384, \"truncate\": false}}"));
        RopeEncoding e = (RopeEncoding) c.encoding();
        assertEquals(Optional.of("full_attention"), e.layerType());
        assertEquals(RopeType.YARN, e.spec().ropeType());
        assertTrue(((RopeScaling.Yarn) e.spec().scaling()).truncate(), "HF reads truncate from the outer dict");
        assertEquals(List.of("sliding_attention"), List.copyOf(e.otherLayerTypes().keySet()));
        assertEquals(1, c.warnings().size(), c.warnings()::toString);
        assertTrue(c.warnings().getFirst().startsWith("rope_parameters.full_attention.truncate: "));
    }

    @Test
    void globalRopeWithLayerTypesStaysGlobal() {
        PositionConfig c = parse(llama("\"layer_types\": [\"sliding_attention\", \"full_attention\"], "
                + "\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2}"));
        RopeEncoding e = (RopeEncoding) c.encoding();
        assertEquals(Optional.empty(), e.layerType());
        assertEquals(new RopeScaling.Linear(2), e.spec().scaling());
    }

    @Test
    void deepseekV3CanTurnInterleavingOff() {
        String v3 = "{\"model_type\": \"deepseek_v3\", \"qk_rope_head_dim\": 64, \"max_position_embeddings\": 4096%s}";
        assertEquals(RopeLayout.INTERLEAVED, rope(v3.formatted("")).layout());
        assertEquals(RopeLayout.HALF, rope(v3.formatted(", \"rope_interleave\": false")).layout());
    }

    @Test
    void falconWithAlibi() {
        assertEquals(new AlibiEncoding(71, 8), parse("{\"model_type\": \"falcon\", \"hidden_size\": 4544, "
                + "\"num_attention_heads\": 71, \"alibi\": true}").encoding());
    }

    @Test
    void mptWithoutAlibiUsesLearnedPositions() {
        assertEquals(new LearnedAbsoluteEncoding(2048), parse("{\"model_type\": \"mpt\", \"n_heads\": 32, \"max_seq_len\": "
                + "2048, \"attn_config\": {\"alibi\": false}}").encoding());
        assertEquals(new AlibiEncoding(16, 16), parse("{\"model_type\": \"mpt\", \"attn_config\": {\"alibi\": true, "
                + "\"alibi_bias_max\": 16}}").encoding());
    }

    @Test
    void debertaPosAttTypeAsStringOrList() {
        String base = "{\"model_type\": \"deberta-v2\", \"relative_attention\": true, \"max_position_embeddings\": 512, "
                + "\"pos_att_type\": %s}";
        DebertaEncoding s = (DebertaEncoding) parse(base.formatted("\"P2C|c2p\"")).encoding();
        assertEquals(List.of("p2c", "c2p"), s.posAttType());
        assertEquals(512, s.maxRelativePositions(), "max_relative_positions < 1 means max_position_embeddings");
        assertEquals(-1, s.positionBuckets());
        assertEquals(new LearnedAbsoluteEncoding(512), parse("{\"model_type\": \"deberta-v2\"}").encoding());
    }

    @Test
    void unknownFamiliesWithHeadsReadAsLlama() {
        PositionConfig c = parse("{\"model_type\": \"my_llama\", \"hidden_size\": 1024, \"num_attention_heads\": 8, "
                + "\"max_position_embeddings\": 4096, \"rope_theta\": 20000}");
        assertEquals(new RopeSpec(128, 128, RopeLayout.HALF, 20000, 4096, new RopeScaling.Default()),
                ((RopeEncoding) c.encoding()).spec());
        assertTrue(c.warnings().getFirst().startsWith("model_type: \"my_llama\" is not a family posenc knows"));
    }

    // ---------------------------------------------------------------------------------------------------------
    // warnings: what HF only warns about is never silent
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("warned")
    void warnsWhereHuggingFaceWarns(String json, String warning) {
        PositionConfig c = parse(json);
        assertTrue(c.warnings().contains(warning), () -> "expected warning " + warning + " in " + c.warnings());
    }

    static Stream<Arguments> warned() {
        return Stream.of(
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 2, \"foo\": 1}"),
                        "rope_scaling: unrecognized keys for rope_type \"linear\" (Hugging Face ignores them): foo"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, \"beta_fast\": 1, "
                        + "\"beta_slow\": 2}"), "rope_scaling.beta_fast: should be greater than beta_slow, got "
                        + "beta_fast=1 and beta_slow=2"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, "
                        + "\"original_max_position_embeddings\": 4096}"), "rope_scaling.factor: 4 differs from "
                        + "max_position_embeddings / original_max_position_embeddings = 32; the explicit factor is "
                        + "used, as in Hugging Face"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8, \"low_freq_factor\": 1, "
                        + "\"high_freq_factor\": 4, \"original_max_position_embeddings\": 131072}"),
                        "rope_scaling.original_max_position_embeddings: 131072 should be less than "
                                + "max_position_embeddings 131072"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8, \"low_freq_factor\": 1, "
                        + "\"high_freq_factor\": 4, \"original_max_position_embeddings\": 8192.0}"),
                        "rope_scaling.original_max_position_embeddings: should be an integer, got 8192.0"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 0.5}"),
                        "rope_scaling.factor: should be >= 1, got 0.5; Hugging Face warns and computes with it, so "
                                + "does posenc"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8, \"low_freq_factor\": 4, "
                        + "\"high_freq_factor\": 4, \"original_max_position_embeddings\": 8192}"),
                        "rope_scaling.high_freq_factor: should be greater than low_freq_factor, got high_freq_factor=4 "
                                + "and low_freq_factor=4; Hugging Face warns and computes with them (no pair is "
                                + "blended), so does posenc"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": null, "
                        + "\"original_max_position_embeddings\": 262144}"), "rope_scaling.factor: null; Hugging Face uses "
                        + "max_position_embeddings / original_max_position_embeddings = 0.5"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"ntk\", \"factor\": 2}"),
                        "rope_scaling.rope_type: \"ntk\" (static NTK-aware scaling) is a posenc extension; Hugging "
                                + "Face transformers cannot load this config"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"proportional\"}"),
                        "rope_scaling.partial_rotary_factor: not set, so proportional RoPE rotates the whole head "
                                + "(Hugging Face warns too: this is linear scaling)"),
                Arguments.of("{\"model_type\": \"llama\", \"hidden_size\": 4096, \"num_attention_heads\": 32}",
                        "max_position_embeddings: not set; using 2048, the default of Hugging Face's config for "
                                + "\"llama\""),
                Arguments.of(llama("\"rope_theta\": 1, \"rope_theta\": 2"),
                        "rope_theta: appears more than once; the last value is used (as Python's json does)"),
                Arguments.of("{\"model_type\": \"gptj\", \"n_embd\": 4096, \"n_head\": 16, \"rope_theta\": 5e5}",
                        "rope_theta: the gptj model code does not read it; ignored"));
    }

    @Test
    void warningsAreReadAsTheyOccur() {
        PositionConfig quiet = parse(llama("\"rope_theta\": 500000.0, \"rope_scaling\": {\"rope_type\": \"llama3\", "
                + "\"factor\": 8.0, \"low_freq_factor\": 1.0, \"high_freq_factor\": 4.0, "
                + "\"original_max_position_embeddings\": 8192}"));
        assertEquals(List.of(), quiet.warnings());
    }

    // ---------------------------------------------------------------------------------------------------------
    // errors: one line naming the file, the key path and the expectation
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsConfigsWhereTheMathIsUndefined(String json, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(json));
        assertEquals(message, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("[1, 2]", "c.json: expected a JSON object at the top level, got a list of 2 values"),
                Arguments.of("{\"hidden_size\": 4096}",
                        "c.json: model_type: expected a string naming the model family, got nothing"),
                Arguments.of("{\"model_type\": 7}",
                        "c.json: model_type: expected a string naming the model family, got 7"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": \"eight\"}"),
                        "c.json: rope_scaling.factor: expected a number, got \"eight\""),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": NaN}"),
                        "c.json: rope_scaling.factor: expected a number, got NaN"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 0}"),
                        "c.json: rope_scaling.factor: expected a finite number > 0, got 0"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"linear\", \"factor\": 1e-46}"),
                        "c.json: rope_scaling.factor: expected a number > 0 that float32 can hold (between 1.4e-45 "
                                + "and 3.4e38, as Hugging Face's tensors do), got 1e-46"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"dynamic\", \"factor\": 1e308}"),
                        "c.json: rope_scaling.factor: expected a number > 0 that float32 can hold (between 1.4e-45 "
                                + "and 3.4e38, as Hugging Face's tensors do), got 1e308"),
                Arguments.of(llama("\"rope_theta\": 1e-46"), "c.json: rope_theta: expected a number > 0 that "
                        + "float32 can hold (between 1.4e-45 and 3.4e38, as Hugging Face's tensors do), got 1e-46"),
                Arguments.of(llama("\"rope_theta\": 1e-40"), "c.json: rope_theta: expected a value giving finite "
                        + "frequencies (inv_freq[62] = 1 / θ^(2i/d) would be Infinity in float32), got 1e-40"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, "
                        + "\"attention_factor\": 1e300}"), "c.json: rope_scaling.attention_factor: expected a value "
                        + "giving an attention scaling in (0, 1.8e19] (cos and sin are multiplied by it and attention "
                        + "logits by its square, which float32 must hold; this gives 1.0E300), got 1e300"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, "
                        + "\"mscale\": 3.4e38, \"mscale_all_dim\": 1}"), "c.json: rope_scaling.mscale: expected a value "
                        + "giving an attention scaling in (0, 1.8e19] (cos and sin are multiplied by it and attention "
                        + "logits by its square, which float32 must hold; this gives 4.139538886243975E37), got 3.4e38"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, \"attention_factor\": 0}"),
                        "c.json: rope_scaling.attention_factor: expected a value giving an attention scaling in (0, "
                                + "1.8e19] (cos and sin are multiplied by it and attention logits by its square, which "
                                + "float32 must hold; this gives 0.0), got 0"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, \"mscale\": -8, "
                        + "\"mscale_all_dim\": 1}"), "c.json: rope_scaling.mscale: expected a value giving an attention "
                        + "scaling in (0, 1.8e19] (cos and sin are multiplied by it and attention logits by its square, "
                        + "which float32 must hold; this gives -0.09576029341752264), got -8"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"longrope\", \"short_factor\": " + ones(64)
                        + ", \"long_factor\": " + ones(64) + ", \"factor\": 4, \"original_max_position_embeddings\": 1}"),
                        "c.json: rope_scaling.original_max_position_embeddings: expected an integer > 1 (the attention "
                                + "factor sqrt(1 + ln factor / ln original_max_position_embeddings) divides by its log), "
                                + "got 1"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"linear\"}"),
                        "c.json: rope_scaling.factor: expected a value (required for rope_type \"linear\"), got nothing"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"dynamic\", \"factor\": null}"),
                        "c.json: rope_scaling.factor: expected a number (required for rope_type \"dynamic\"), "
                                + "got null"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"xpos\", \"factor\": 2}"),
                        "c.json: rope_scaling.rope_type: expected one of \"default\", \"linear\", \"dynamic\", "
                                + "\"yarn\", \"longrope\", \"llama3\", \"proportional\", \"ntk\", got \"xpos\""),
                Arguments.of(llama("\"rope_scaling\": [1]"),
                        "c.json: rope_scaling: expected an object (or null), got a list of 1 value"),
                Arguments.of(llama("\"rope_theta\": 0"), "c.json: rope_theta: expected a finite number > 0, got 0"),
                Arguments.of(llama("\"rope_theta\": -Infinity"),
                        "c.json: rope_theta: expected a number > 0, got -Infinity"),
                Arguments.of(llama("\"rope_parameters\": {\"rope_theta\": true}"),
                        "c.json: rope_parameters.rope_theta: expected a number > 0, got true"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8, "
                        + "\"high_freq_factor\": 4}"), "c.json: rope_scaling.low_freq_factor: expected a value "
                        + "(required for rope_type \"llama3\"), got nothing"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"longrope\", \"short_factor\": [1, 1], "
                        + "\"long_factor\": [1, 1]}"), "c.json: rope_scaling.short_factor: expected a list of 64 "
                        + "numbers > 0 (rotary_dim / 2), got a list of 2 values"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"longrope\", \"short_factor\": " + ones(64)
                        + ", \"long_factor\": [\"x\"]}"), "c.json: rope_scaling.long_factor[0]: expected a list of 64 "
                        + "numbers > 0 (rotary_dim / 2), got \"x\""),
                Arguments.of(phi("\"partial_rotary_factor\": 1.5"),
                        "c.json: partial_rotary_factor: expected a number in (0, 1], got 1.5"),
                Arguments.of(phi("\"partial_rotary_factor\": 0"),
                        "c.json: partial_rotary_factor: expected a number in (0, 1], got 0"),
                Arguments.of(phi("\"partial_rotary_factor\": 0.3047"),
                        "c.json: partial_rotary_factor: expected a value giving an even rotary dimension >= 2 "
                                + "(int(head_dim 128 * 0.3047) = 39), got 0.3047"),
                Arguments.of("{\"model_type\": \"llama\", \"hidden_size\": 4100, \"num_attention_heads\": 32, "
                        + "\"max_position_embeddings\": 2048}", "c.json: hidden_size: expected a multiple of "
                        + "num_attention_heads = 32 (head_dim is not set), got 4100"),
                Arguments.of("{\"model_type\": \"llama\", \"hidden_size\": 4096, \"max_position_embeddings\": 2048}",
                        "c.json: num_attention_heads: expected a positive integer (the number of attention heads), "
                                + "got nothing"),
                Arguments.of("{\"model_type\": \"llama\", \"head_dim\": 63, \"max_position_embeddings\": 2048}",
                        "c.json: head_dim: expected an even number of rotated dimensions, got 63"),
                Arguments.of(llama("\"head_dim\": 12.5"), "c.json: head_dim: expected a positive integer, got 12.5"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, \"beta_fast\": -1}"),
                        "c.json: rope_scaling.beta_fast: expected a finite number > 0, got -1"),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, \"truncate\": \"no\"}"),
                        "c.json: rope_scaling.truncate: expected true or false, got \"no\""),
                Arguments.of(llama("\"rope_scaling\": {\"rope_type\": \"yarn\", \"factor\": 4, "
                        + "\"original_max_position_embeddings\": 0}"),
                        "c.json: rope_scaling.original_max_position_embeddings: expected a positive integer, got 0"),
                Arguments.of(llama("\"max_position_embeddings\": -1"),
                        "c.json: max_position_embeddings: expected a positive integer, got -1"),
                Arguments.of("{\"model_type\": \"qwen2_vl\", \"hidden_size\": 3584, \"num_attention_heads\": 28, "
                        + "\"max_position_embeddings\": 32768, \"rope_scaling\": {\"type\": \"mrope\", "
                        + "\"mrope_section\": [16, 24, 16]}}", "c.json: rope_scaling.mrope_section: expected a list of "
                        + "positive integers summing to rotary_dim / 2 = 64, got a list of 3 values"),
                Arguments.of("{\"model_type\": \"gptj\", \"n_embd\": 4096, \"n_head\": 16, \"n_positions\": 2048, "
                        + "\"rotary_dim\": 63}",
                        "c.json: rotary_dim: expected an even integer in [2, 256], got 63"),
                Arguments.of("{\"model_type\": \"chatglm\", \"kv_channels\": 128, \"rope_ratio\": 0}",
                        "c.json: rope_ratio: expected a number > 0, got 0"),
                Arguments.of("{\"model_type\": \"t5\", \"relative_attention_num_buckets\": 0}",
                        "c.json: relative_attention_num_buckets: expected a positive integer, got 0"),
                Arguments.of("{\"model_type\": \"bert\", \"position_embedding_type\": \"relative_key\"}",
                        "c.json: position_embedding_type: expected \"absolute\" (posenc does not read BERT's "
                                + "relative_key variants yet), got \"relative_key\""),
                Arguments.of("{\"model_type\": \"deberta-v2\", \"relative_attention\": true, \"pos_att_type\": "
                        + "\"c2p|p2p\"}", "c.json: pos_att_type: expected \"c2p|p2c\" or a list of \"c2p\"/\"p2c\", "
                        + "got \"c2p|p2p\""),
                Arguments.of("{\"model_type\": \"vision_thing\"}", "c.json: model_type: expected a model family "
                        + "posenc knows (llama, qwen2, gemma, phi3, gptj, t5, bloom, mpt, ...) or num_attention_heads, "
                        + "got \"vision_thing\""),
                Arguments.of("{\"model_type\": \"qwen3_vl\", \"text_config\": {\"model_type\": \"qwen3_vl_text\", "
                        + "\"hidden_size\": 5120, \"num_attention_heads\": 64, \"head_dim\": 128, "
                        + "\"max_position_embeddings\": 262144, \"rope_theta\": \"big\"}}",
                        "c.json: text_config.rope_theta: expected a number > 0, got \"big\""));
    }

    @Test
    void unreadableFilesAreConfigErrors(@TempDir Path dir) throws IOException {
        ConfigException missing = assertThrows(ConfigException.class,
                () -> HfConfig.load(dir.resolve("absent.json")));
        assertEquals(dir.resolve("absent.json") + ": cannot read: no such file", missing.getMessage());
        Path latin1 = dir.resolve("latin1.json");
        Files.write(latin1, new byte[] {'{', '"', (byte) 0xE9, '"', ':', '1', '}'});
        ConfigException bad = assertThrows(ConfigException.class, () -> HfConfig.load(latin1));
        assertEquals(latin1 + ": expected UTF-8 text, got invalid bytes", bad.getMessage());
    }

    @Test
    void configExceptionIsAnIllegalArgumentException() {
        assertInstanceOf(IllegalArgumentException.class, new ConfigException("x"));
        assertArrayEquals(new int[] {1, 2}, new MRopeSection(new int[] {1, 2}, false).section());
    }
}
