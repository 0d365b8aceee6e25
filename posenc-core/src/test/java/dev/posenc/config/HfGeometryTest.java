package dev.posenc.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.querykey.CosSinCache;
import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RotaryEmbedding;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link HfConfig#loadGeometry}: the ready-to-use rotation of a layer, MLA slices, and one-line errors. */
class HfGeometryTest {
    /** The same rotation through two entry points runs the same kernel on the same table: bit-identical. */
    private static final float EXACT = 0f;

    private static final String MLA = """
            {"model_type": "deepseek_v3", "hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 4, "qk_nope_head_dim": 8, "qk_rope_head_dim": 4, "v_head_dim": 6,
             "kv_lora_rank": 16, "max_position_embeddings": 16384,
             "rope_scaling": {"type": "yarn", "factor": 40, "mscale": 1.0, "mscale_all_dim": 1.0,
                              "original_max_position_embeddings": 4096, "beta_fast": 32, "beta_slow": 1}}
            """;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(HfGeometryTest.class.getResource("/reference/hf-geometry/configs/" + name).toURI());
    }

    @Test
    void aLayerRotationIsTheRotaryEmbeddingOfItsSpecOnTokenMajorHeads() throws URISyntaxException {
        ModelGeometry geometry = HfConfig.loadGeometry(resource("gemma3-composite-linear8.json"));
        for (int i : new int[] {0, 5}) {   // a local layer (base 10000) and a global one (linear 8, base 1e6)
            LayerAttention layer = geometry.forLayer(i);
            int tokens = 3;
            float[] q = random(tokens * layer.queryHeads() * layer.qkHeadDim(), i);
            float[] k = random(tokens * layer.keyValueHeads() * layer.qkHeadDim(), i + 1);
            float[] qRef = q.clone();
            float[] kRef = k.clone();
            layer.rotation(64).orElseThrow().apply(RopePositions.startingAt(10), tokens, q, k);
            LayerEncoding.Rotary r = (LayerEncoding.Rotary) layer.encoding();
            RotaryEmbedding.of(CosSinCache.of(r.spec().frequencies(64), 0, 64)).apply(RopePositions.startingAt(10),
                    tokens, qRef, HeadStrides.tokenMajor(layer.queryHeads(), layer.qkHeadDim()), kRef,
                    HeadStrides.tokenMajor(layer.keyValueHeads(), layer.qkHeadDim()));
            assertArrayEquals(qRef, q, EXACT, "layer " + i + " q");
            assertArrayEquals(kRef, k, EXACT, "layer " + i + " k");
        }
        assertEquals(10000, ((LayerEncoding.Rotary) geometry.forLayer(0).encoding()).spec().ropeTheta());
        assertEquals(1_000_000, ((LayerEncoding.Rotary) geometry.forLayer(5).encoding()).spec().ropeTheta());
    }

    @Test
    void mlaRotatesTheLastQkRopeColumnsOfEachQueryHeadAndOneSharedKeyHead() {
        ModelGeometry geometry = HfConfig.parseGeometry(MLA, "mla.json");
        LayerAttention layer = geometry.forLayer(1);
        assertEquals(12, layer.qkHeadDim());
        assertEquals(6, layer.vHeadDim());
        LayerEncoding.Rotary r = assertInstanceOf(LayerEncoding.Rotary.class, layer.encoding());
        assertEquals(8, r.offset());
        assertTrue(r.sharedKeyHead());
        assertEquals(RopeLayout.INTERLEAVED, r.spec().layout());
        double mscale = 0.1 * Math.log(40) + 1;   // yarn_get_mscale(factor 40, mscale_all_dim 1)
        assertEquals(Math.pow(12, -0.5) * mscale * mscale, layer.softmaxScale(), 2 * Math.ulp(layer.softmaxScale()));

        int tokens = 2;
        float[] q = random(tokens * 4 * 12, 7);
        float[] kPe = random(tokens * 4, 8);
        float[] qBefore = q.clone();
        float[] qRope = new float[tokens * 4 * 4];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < 4; h++) {
                System.arraycopy(q, (t * 4 + h) * 12 + 8, qRope, (t * 4 + h) * 4, 4);
            }
        }
        float[] kRef = kPe.clone();
        layer.rotation(32).orElseThrow().apply(RopePositions.startingAt(5), tokens, q, kPe);
        RotaryEmbedding.of(CosSinCache.of(r.spec().frequencies(32), 0, 32)).apply(RopePositions.startingAt(5), tokens,
                qRope, HeadStrides.tokenMajor(4, 4), kRef, HeadStrides.tokenMajor(1, 4));
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < 4; h++) {
                int head = (t * 4 + h) * 12;
                for (int d = 0; d < 8; d++) {
                    assertEquals(qBefore[head + d], q[head + d], EXACT, "q_nope column " + d + " is not rotated");
                }
                for (int d = 0; d < 4; d++) {
                    assertEquals(qRope[(t * 4 + h) * 4 + d], q[head + 8 + d], EXACT, "q_rot column " + d);
                }
            }
        }
        assertArrayEquals(kRef, kPe, EXACT, "k_pe");
    }

    @Test
    void noPeLayersHaveNoRotation() throws URISyntaxException {
        ModelGeometry llama4 = HfConfig.loadGeometry(resource("llama4-text-explicit-no-rope-layers.json"));
        assertTrue(llama4.forLayer(1).rotation(8).isEmpty());
        assertTrue(llama4.forLayer(0).rotation(8).isPresent());
        AttentionTemperature t = llama4.forLayer(1).queryTemperature().orElseThrow();
        assertEquals(1.0, t.queryScale(1022));                               // floor(1023 / 1024) = 0
        assertEquals(Math.log1p(1) * 0.2 + 1, t.queryScale(1023), 1e-15);   // floor(1024 / 1024) = 1
        ModelGeometry cohere = HfConfig.loadGeometry(resource("cohere2-pattern4.json"));
        assertInstanceOf(LayerEncoding.NoPE.class, cohere.forLayer(3).encoding());
        assertEquals(RopeLayout.INTERLEAVED, ((LayerEncoding.Rotary) cohere.forLayer(0).encoding()).spec().layout());
    }

    @Test
    void badPerLayerKeysAreOneLineErrorsNamingFileAndKey() {
        assertError("{\"model_type\": \"gemma2\", \"hidden_size\": 64, \"num_attention_heads\": 4, \"head_dim\": 16,"
                + " \"num_hidden_layers\": 3, \"layer_types\": [\"sliding_attention\", \"full_attention\"]}",
                "g.json: layer_types: expected a list of 3 layer types");
        assertError("{\"model_type\": \"gemma2\", \"hidden_size\": 64, \"num_attention_heads\": 4, \"head_dim\": 16,"
                + " \"num_hidden_layers\": 2, \"layer_types\": [\"sliding_attention\", \"local\"]}",
                "g.json: layer_types[1]: expected \"full_attention\", \"sliding_attention\" or \"chunked_attention\", "
                        + "got \"local\"");
        assertError("{\"model_type\": \"llama4_text\", \"hidden_size\": 64, \"num_attention_heads\": 4,"
                + " \"head_dim\": 16, \"num_hidden_layers\": 2, \"no_rope_layers\": [1, 2]}",
                "g.json: no_rope_layers[1]: expected 1 (the layer uses RoPE) or 0 (NoPE), got 2");
        assertError("{\"model_type\": \"llama\", \"hidden_size\": 96, \"num_attention_heads\": 6,"
                + " \"num_key_value_heads\": 4, \"num_hidden_layers\": 2, \"max_position_embeddings\": 64}",
                "g.json: num_key_value_heads: expected a divisor of the 6 attention heads, got 4");
        assertError("{\"model_type\": \"chatglm\", \"kv_channels\": 16, \"num_attention_heads\": 4,"
                + " \"seq_length\": 64}",
                "g.json: num_hidden_layers: expected a positive integer <= 65536 (the number of decoder layers), "
                        + "got nothing");
        assertError("{\"model_type\": \"gemma2\", \"hidden_size\": 64, \"num_attention_heads\": 4, \"head_dim\": 16,"
                + " \"num_hidden_layers\": 2, \"query_pre_attn_scalar\": 0}",
                "g.json: query_pre_attn_scalar: expected a number > 0, got 0");
        assertError("{\"model_type\": \"bert\"}", "g.json: model_type: expected a RoPE model for the per-layer "
                + "attention geometry, got \"bert\" (learned_absolute)");
    }

    @Test
    void forLayerNamesTheRange() {
        ModelGeometry g = HfConfig.parseGeometry(MLA, "mla.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.forLayer(2));
        assertEquals("layer 2 is not in [0, 2)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> g.forLayer(0).rotation(0));
    }

    private static void assertError(String json, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> HfConfig.parseGeometry(json, "g.json"));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    private static float[] random(int n, long seed) {
        Random random = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}
