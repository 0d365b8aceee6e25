package dev.posenc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryFrequencies;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Holds posenc equal to Hugging Face transformers' own code: {@code src/test/resources/reference/hf-rope/vectors.json}
 * is written by {@code generate.py} beside it, which imports transformers (a source checkout, commit c49429ed1f8b) and
 * runs each model's config class, {@code *RotaryEmbedding} forward and {@code apply_rotary_pos_emb} on every RoPE
 * config of the shared hf-configs folder and hundreds of mutations of them. One dynamic test per case HF could run
 * (cases whose model type is not in transformers, or that have no RoPE, are skipped there; the remote-code families
 * are covered by {@link HfReferenceVectorsTest}).
 *
 * <p>For a case HF computed: posenc accepts it, and {@code rotary_dim}, the layout and {@code attention_scaling} agree,
 * and {@code inv_freq} element by element. A case with a {@code layer_type} (per-layer-type rope: Gemma 3, Gemma 4) is
 * compared with posenc's spec for that layer type ({@link RopeEncoding#layerType()} or
 * {@link RopeEncoding#otherLayerTypes()}); one without is compared with the primary spec. For a case HF rejected: posenc throws a {@link ConfigException} whose
 * message is one line starting with the source name, except the one documented divergence (see
 * {@link #isPhi3SuDivergence}).
 *
 * <p>The same comparison, through the CLI, is {@code scripts/reference/hf_rope/diff.py}.
 */
class HfModelCodeReferenceTest {
    /** The requirement on inv_freq: relative error at most 2e-6 per element. */
    static final double INV_FREQ_REL_TOL = 2e-6;
    /** The requirement on attention_scaling (absolute). */
    static final double ATTENTION_SCALING_TOL = 1e-6;
    /** What posenc's warning says for the documented Phi-3 "su" divergence. */
    static final String PHI3_SU_WARNING = "transformers 5 rejects this file";

    private static final List<Map<String, Object>> CASES = load();

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> load() {
        try (InputStream in = HfModelCodeReferenceTest.class.getResourceAsStream("/reference/hf-rope/vectors.json")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return (List<Map<String, Object>>) Json.parse(text, "hf-rope/vectors.json").root();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> posencAgreesWithHuggingFaceModelCode() {
        assertFalse(CASES.isEmpty(), "no cases in hf-rope/vectors.json");
        return CASES.stream()
                .filter(c -> !hf(c).containsKey("skip"))
                .map(c -> DynamicTest.dynamicTest(name(c), () -> check(c)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> hf(Map<String, Object> c) {
        return (Map<String, Object>) c.get("hf");
    }

    private static String name(Map<String, Object> c) {
        Object seqLen = c.get("seq_len");
        return c.get("name") + (seqLen == null ? " (init)" : " at seq_len " + (long) number(seqLen));
    }

    /** The case's layer type (per-layer-type rope), or null. */
    private static String layerType(Map<String, Object> c) {
        return (String) c.get("layer_type");
    }

    private static void check(Map<String, Object> c) {
        Map<String, Object> hf = hf(c);
        String source = c.get("name") + ".json";
        long seqLen = c.get("seq_len") == null ? 0 : (long) number(c.get("seq_len"));
        if (hf.containsKey("error")) {
            checkRejected(c, hf, source, seqLen);
        } else {
            checkAccepted(c, hf, source, seqLen);
        }
    }

    private static void checkAccepted(Map<String, Object> c, Map<String, Object> hf, String source, long seqLen) {
        PositionConfig config;
        RotaryFrequencies f;
        try {
            config = HfConfig.read(c.get("config_json"), source, new ArrayList<>());
            f = spec(config, layerType(c)).frequencies(seqLen);
        } catch (RuntimeException e) {
            throw new AssertionError(source + ": HF accepts it (rotary_dim " + (long) number(hf.get("rotary_dim"))
                    + ", " + hf.get("layout") + "), posenc throws " + e, e);
        }
        String where = source + (c.get("seq_len") == null ? " at init" : " at seq_len " + seqLen);
        assertEquals((long) number(hf.get("rotary_dim")), f.rotaryDim(), where + ": rotary_dim");
        assertEquals(hf.get("layout"), f.layout().id(), where + ": layout");
        assertEquals(number(hf.get("attention_scaling")), f.attentionScaling(), ATTENTION_SCALING_TOL,
                where + ": attention_scaling");
        assertInvFreq(floats(hf.get("inv_freq")), f.invFreq(), where);
    }

    private static void checkRejected(Map<String, Object> c, Map<String, Object> hf, String source, long seqLen) {
        String hfError = hf.get("stage") + ": " + hf.get("error");
        PositionConfig config;
        try {
            config = HfConfig.read(c.get("config_json"), source, new ArrayList<>());
            spec(config, layerType(c)).frequencies(seqLen);
        } catch (ConfigException e) {
            String message = e.getMessage();
            assertFalse(message.contains("\n") || message.contains("\r"),
                    source + ": the message must be one line, got: " + message);
            assertTrue(message.startsWith(source), source + ": the message must start with the source name, got: "
                    + message);
            return;
        } catch (RuntimeException e) {
            throw new AssertionError(source + ": HF raises (" + hfError + "), posenc throws " + e
                    + " instead of a ConfigException", e);
        }
        if (isPhi3SuDivergence(hf)) {
            assertTrue(config.warnings().stream().anyMatch(w -> w.contains(PHI3_SU_WARNING)),
                    source + ": the documented Phi-3 \"su\" divergence (HF: " + hfError + ") must come with a warning"
                            + " containing \"" + PHI3_SU_WARNING + "\"; warnings: " + config.warnings());
            return;
        }
        fail(source + ": HF raises (" + hfError + "), posenc accepts it; warnings: " + config.warnings());
    }

    /**
     * The documented divergence: Phi-3 configs with {@code "type": "su"} and {@code original_max_position_embeddings}
     * at the top level only. transformers 5 standardizes before renaming su to longrope, so {@code validate_rope} misses
     * the key and raises {@code KeyError}; posenc loads them as transformers 4 did, with a warning (checked by the
     * caller). Where posenc rejects such a case for another reason, that agrees with HF and is accepted too.
     */
    private static boolean isPhi3SuDivergence(Map<String, Object> hf) {
        String error = String.valueOf(hf.get("error"));
        return error.startsWith("KeyError") && error.contains("longrope")
                && error.contains("original_max_position_embeddings");
    }

    /**
     * The spec HF's case is about: for {@code layerType} null, the primary one; otherwise the one posenc gives that
     * layer type (an {@link AssertionError} when posenc has none for it).
     */
    private static RopeSpec spec(PositionConfig config, String layerType) {
        if (!(config.encoding() instanceof RopeEncoding rope)) {
            throw new AssertionError(config.source() + ": expected RoPE, got " + config.encoding().kind());
        }
        if (layerType == null || rope.layerType().equals(Optional.of(layerType))) {
            return rope.spec();
        }
        RopeSpec other = rope.otherLayerTypes().get(layerType);
        if (other == null) {
            throw new AssertionError(config.source() + ": HF has a rope for layer type " + layerType
                    + ", posenc has none (layer type " + rope.layerType().orElse("(none)") + ", others "
                    + rope.otherLayerTypes().keySet() + ")");
        }
        return other;
    }

    private static void assertInvFreq(float[] expected, float[] actual, String where) {
        assertEquals(expected.length, actual.length, where + ": inv_freq length");
        double worstRel = 0;
        int worstIndex = -1;
        long maxUlps = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i];
            float a = actual[i];
            double rel = e == 0f ? Math.abs((double) a) : Math.abs((double) a - e) / Math.abs(e);
            if (Double.isNaN(rel)) {
                rel = Double.POSITIVE_INFINITY;
            }
            if (worstIndex < 0 || rel > worstRel) {
                worstRel = rel;
                worstIndex = i;
            }
            maxUlps = Math.max(maxUlps, ulps(e, a));
        }
        if (!(worstRel <= INV_FREQ_REL_TOL)) {
            fail(where + ": inv_freq[" + worstIndex + "] expected " + expected[worstIndex] + ", got "
                    + actual[worstIndex] + " (max relative error " + worstRel + " > " + INV_FREQ_REL_TOL
                    + ", max " + maxUlps + " ulps)");
        }
    }

    /** Distance in float32 ulps (the ordered-integer distance of the bit patterns; +0 and -0 are equal). */
    private static long ulps(float e, float a) {
        if (Float.isNaN(e) || Float.isNaN(a)) {
            return Long.MAX_VALUE;
        }
        return Math.abs(ordered(e) - ordered(a));
    }

    private static long ordered(float x) {
        int bits = Float.floatToIntBits(x);
        return bits >= 0 ? bits : (long) Integer.MIN_VALUE - bits;
    }

    private static double number(Object o) {
        return ((JsonNumber) o).value();
    }

    @SuppressWarnings("unchecked")
    private static float[] floats(Object list) {
        List<Object> l = (List<Object>) list;
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) number(l.get(i));
        }
        return out;
    }
}
