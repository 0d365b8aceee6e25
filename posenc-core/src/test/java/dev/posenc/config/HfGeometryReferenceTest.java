package dev.posenc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.querykey.RotaryFrequencies;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Holds {@link HfConfig#loadGeometry}'s per-layer geometry equal to what Hugging Face transformers' own attention
 * classes build: {@code src/test/resources/reference/hf-geometry/vectors.json} is written by {@code generate.py}
 * beside it, which instantiates {@code XxxAttention(config, layer_idx)} for every layer of every config (the shared
 * configs of the families with an HF attention class, and the configs in {@code hf-geometry/configs/}: Gemma 3,
 * Cohere 2, Llama 4, derived layer types) and the rotary module each layer is handed. One dynamic test per config;
 * every layer is compared: heads, head sizes, rotated slice, which rotary (its inv_freq and attention_scaling), NoPE,
 * softmax scale, sliding window, chunk, logit softcapping and Llama 4's temperature.
 */
class HfGeometryReferenceTest {
    /** HF's {@code head_dim**-0.5} (C pow) and posenc's {@code Math.pow} may round differently: 2 ulps. */
    static final double SCALE_ULPS = 2;
    /** As in {@link HfModelCodeReferenceTest}: inv_freq relative error at most 2e-6 per element. */
    static final double INV_FREQ_REL_TOL = HfModelCodeReferenceTest.INV_FREQ_REL_TOL;
    static final double ATTENTION_SCALING_TOL = HfModelCodeReferenceTest.ATTENTION_SCALING_TOL;

    private static final List<Map<String, Object>> CASES = load();

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> load() {
        try (InputStream in = HfGeometryReferenceTest.class.getResourceAsStream(
                "/reference/hf-geometry/vectors.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, Object> root = (Map<String, Object>) Json.parse(text, "hf-geometry/vectors.json").root();
            return (List<Map<String, Object>>) root.get("cases");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theVectorsCoverTheFamiliesOfTheIssue() {
        List<String> names = CASES.stream().map(c -> (String) c.get("config")).toList();
        for (String expected : List.of("gemma-2-9b-it.json", "gemma3-composite-linear8.json",
                "gemma3-text-v5-rope-parameters.json", "gpt-oss-20b.json", "cohere2-pattern4.json",
                "llama4-composite-llama3-scaling.json", "qwen2-vl-7b-olmocr.json", "llama-3.1-8b.json",
                "deepseek-v3-base.json")) {
            assertTrue(names.contains(expected), expected + " is not in hf-geometry/vectors.json");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyLayerAgreesWithHuggingFaceAttentionClasses() {
        assertFalse(CASES.isEmpty(), "no cases in hf-geometry/vectors.json");
        return CASES.stream().map(c -> DynamicTest.dynamicTest((String) c.get("config"), () -> check(c)));
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> c) {
        String source = (String) c.get("config");
        Object document = c.get("config_json");
        List<String> warnings = new ArrayList<>();
        if (c.containsKey("error")) {
            // HF rejects it: posenc either rejects it too or loads it with the documented Phi-3 "su" warning
            try {
                ModelGeometry g = GeometryReader.read(document, HfConfig.read(document, source, warnings), warnings);
                assertTrue(g.config().warnings().stream()
                                .anyMatch(w -> w.contains(HfModelCodeReferenceTest.PHI3_SU_WARNING)),
                        source + ": HF raises " + c.get("error") + ", posenc accepts it without the documented "
                                + "warning");
            } catch (ConfigException e) {
                assertTrue(e.getMessage().startsWith(source + ": "), e.getMessage());
            }
            return;
        }
        ModelGeometry geometry = GeometryReader.read(document, HfConfig.read(document, source, warnings), warnings);
        List<Map<String, Object>> layers = (List<Map<String, Object>>) c.get("layers");
        Map<String, Map<String, Object>> rotaries = (Map<String, Map<String, Object>>) c.get("rotaries");
        assertEquals(layers.size(), geometry.numLayers(), source + ": layers");
        for (Map<String, Object> hf : layers) {
            int i = (int) number(hf.get("layer"));
            checkLayer(source + " layer " + i, hf, rotaries, geometry.forLayer(i));
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkLayer(String where, Map<String, Object> hf, Map<String, Map<String, Object>> rotaries,
                                   LayerAttention layer) {
        assertEquals(hf.get("layer_type"), layer.layerType(), where + ": layer_type");
        assertEquals((int) number(hf.get("query_heads")), layer.queryHeads(), where + ": query heads");
        assertEquals((int) number(hf.get("kv_heads")), layer.keyValueHeads(), where + ": KV heads");
        assertEquals((int) number(hf.get("qk_head_dim")), layer.qkHeadDim(), where + ": q/k head_dim");
        assertEquals((int) number(hf.get("v_head_dim")), layer.vHeadDim(), where + ": v head_dim");
        double scale = number(hf.get("scaling"));
        assertEquals(scale, layer.softmaxScale(), SCALE_ULPS * Math.ulp(scale), where + ": softmax scale");
        assertEquals(optionalInt(hf.get("sliding_window")), layer.slidingWindow(), where + ": sliding_window");
        assertEquals(optionalInt(hf.get("attention_chunk_size")), layer.attentionChunkSize(),
                where + ": attention_chunk_size");
        assertEquals(hf.get("logit_softcapping") == null ? OptionalDouble.empty()
                : OptionalDouble.of(number(hf.get("logit_softcapping"))), layer.logitSoftcapping(),
                where + ": attn_logit_softcapping");
        Map<String, Object> temperature = (Map<String, Object>) hf.get("temperature");
        assertEquals(temperature == null ? java.util.Optional.empty() : java.util.Optional.of(
                new AttentionTemperature(number(temperature.get("floor_scale")), number(temperature.get("attn_scale")))),
                layer.queryTemperature(), where + ": temperature tuning");

        Map<String, Object> rotary = (Map<String, Object>) hf.get("rotary");
        if (rotary == null) {
            assertInstanceOf(LayerEncoding.NoPE.class, layer.encoding(), where + ": HF applies no RoPE");
            assertTrue(layer.rotation(16).isEmpty(), where + ": rotation of a NoPE layer");
            return;
        }
        LayerEncoding.Rotary r = assertInstanceOf(LayerEncoding.Rotary.class, layer.encoding(),
                where + ": HF applies RoPE");
        assertEquals((int) number(rotary.get("offset")), r.offset(), where + ": rotated slice offset");
        assertEquals(rotary.get("shared_key_head"), r.sharedKeyHead(), where + ": shared k_pe head");
        Map<String, Object> used = rotaries.get((String) rotary.get("key"));
        float[] invFreq = floats((List<Object>) used.get("inv_freq"));
        RotaryFrequencies f = r.spec().frequencies();
        assertEquals(2 * invFreq.length, f.rotaryDim(), where + ": rotary_dim");
        for (int p = 0; p < invFreq.length; p++) {
            assertEquals(invFreq[p], f.invFreq(p), INV_FREQ_REL_TOL * Math.abs(invFreq[p]),
                    where + ": inv_freq[" + p + "] of rotary " + rotary.get("key"));
        }
        assertEquals(number(used.get("attention_scaling")), f.attentionScaling(), ATTENTION_SCALING_TOL,
                where + ": attention_scaling");
        if (used.containsKey("mrope_section")) {
            int[] section = ((List<Object>) used.get("mrope_section")).stream().mapToInt(o -> (int) number(o)).toArray();
            assertTrue(r.mrope().isPresent(), where + ": mrope_section");
            assertEquals(Arrays.toString(section), Arrays.toString(r.mrope().get().section()), where + ": mrope_section");
            assertEquals(used.get("mrope_interleaved"), r.mrope().get().interleaved(), where + ": mrope_interleaved");
        } else {
            assertTrue(r.mrope().isEmpty(), where + ": no M-RoPE in HF");
        }
    }

    private static OptionalInt optionalInt(Object v) {
        return v == null ? OptionalInt.empty() : OptionalInt.of((int) number(v));
    }

    private static double number(Object v) {
        return ((JsonNumber) v).value();
    }

    private static float[] floats(List<Object> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) number(list.get(i));
        }
        return out;
    }
}
