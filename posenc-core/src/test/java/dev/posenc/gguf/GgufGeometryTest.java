package dev.posenc.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.config.ConfigException;
import dev.posenc.config.HfConfig;
import dev.posenc.config.LayerAttention;
import dev.posenc.config.LayerEncoding;
import dev.posenc.config.LayerRotation;
import dev.posenc.config.ModelGeometry;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.testing.GgufFolder;
import dev.posenc.testing.HfConfigsFolder;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GGUF geometry ({@link GgufConfig#loadGeometry}) of every converted fixture agrees, layer by layer, with the
 * config.json geometry ({@link HfConfig#loadGeometry}) of the config it was converted from, except where llama.cpp's
 * semantics or the conversion make them differ: those are derived from the {@link ConversionAudit} (layout note,
 * rope type and theta not carried, per-pair frequency differences) or listed in {@link #DOCUMENTED} with the
 * llama.cpp code that causes them, and asserted both ways. Each layer's rotation is also held to ggml's formula
 * ({@link GgmlRopeCall#rotateExact}) for the layer's own ggml call.
 */
class GgufGeometryTest {
    /** llama.cpp computes the softmax scale in float32 ({@code 1.0f/sqrtf(...)}, mscale's logs), HF in double. */
    private static final double SCALE_RELATIVE_TOLERANCE = 1e-6;
    /**
     * The rotated values (inputs in [-1, 1]) at positions 96-99 against ggml's formula in double: posenc rotates
     * with float32 frequencies, within {@link ConversionAudit#AGREE_ULPS} ulps of ggml's angle, so at position 99
     * the angles may differ by 16 · 2^-23 · 99 ≈ 2e-4 rad at most for the fastest pair (all are slower or exact).
     */
    private static final double ROTATION_TOLERANCE = 2e-4;

    /**
     * Differences the audit does not report (it compares rotations): each a field of {@link LayerAttention} on
     * every layer, with the llama.cpp (or converter) code that makes it.
     */
    private static final Map<String, Set<String>> DOCUMENTED = Map.of(
            // HF: query_pre_attn_scalar 224 → 224^-0.5. The converter writes no query_pre_attn_scalar
            // (conversion/gemma.py:83-103); llama.cpp derives f_attention_scale from the layer count: 42 layers is
            // the 9B, scaled 1/sqrt(n_embd_head_k = 256) (src/models/gemma2.cpp@82234e08:19-29).
            "gemma-2-9b-it", Set.of("softmax_scale"),
            // HF: sliding_window 4096 on every layer (MistralAttention). The llama converter writes no window and
            // llama.cpp's llama architecture has no sliding-window attention.
            "mistral-7b-v0.1", Set.of("sliding_window"),
            // HF: sliding_window 262144 on every layer (Phi3Attention); the GGUF has it but llama.cpp's phi3 loader
            // disables SWA (phi3.cpp:13-24). The window exceeds the 131072-token context, so nothing is masked.
            "phi-3-mini-128k-instruct-longrope", Set.of("sliding_window"),
            "phi-3-mini-128k-instruct-su", Set.of("sliding_window"),
            "phi-3.5-mini-instruct", Set.of("sliding_window"));

    /**
     * Pairs the audit reports that the specs agree on: Qwen3-VL's interleaved M-RoPE leaves pairs 61 and 62 of a
     * text token unrotated in ggml (sector beyond 3·s_k → the 4th axis, position 0, ggml-cpu/ops.cpp 5858-5927)
     * while HF (and posenc's {@code RotaryAxes.mropeInterleaved}) rotates them with t: the frequencies are the same,
     * the axis is not.
     */
    private static final Map<String, Set<String>> AXIS_ONLY = Map.of(
            "qwen3-vl-32b-instruct-trimmed", Set.of("frequency 61 @0", "frequency 62 @0"));

    static Stream<Path> converted() throws IOException {
        Path root = GgufFolder.find().orElse(null);
        Assumptions.assumeTrue(root != null && HfConfigsFolder.find().isPresent(), "shared fixtures absent");
        try (Stream<Path> s = Files.list(root.resolve("converted"))) {
            return s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList().stream();
        }
    }

    private static Path configOf(Path gguf) {
        return HfConfigsFolder.find().orElseThrow().resolve(gguf.getFileName().toString().replace(".gguf", ".json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("converted")
    void agreesWithTheConfigGeometryExceptWhereTheConversionDiffers(Path gguf) {
        String stem = gguf.getFileName().toString().replace(".gguf", "");
        LlamaCppModel model = GgufConfig.model(gguf);
        if (!(model.positionConfig(0).encoding() instanceof dev.posenc.config.RopeEncoding)) {
            // BERT, BLOOM, MPT, T5: neither side has a per-layer RoPE geometry, and both say so.
            assertThrows(ConfigException.class, () -> HfConfig.loadGeometry(configOf(gguf)));
            ConfigException e = assertThrows(ConfigException.class, () -> model.geometry(0));
            assertTrue(e.getMessage().startsWith(gguf + ": general.architecture: expected a RoPE model"),
                    e.getMessage());
            return;
        }
        ModelGeometry hf = HfConfig.loadGeometry(configOf(gguf));
        ModelGeometry ours = model.geometry(0);
        assertEquals(hf.numLayers(), ours.numLayers(), stem + ": layers");
        ConversionAudit audit = ConversionAudit.compare(HfConfig.load(configOf(gguf)), model, 0);

        Set<String> expected = new TreeSet<>(DOCUMENTED.getOrDefault(stem, Set.of()));
        if (audit.notes().stream().anyMatch(n -> n.startsWith("layout: "))) {
            expected.add("layout");
        }
        if (audit.notCarried().stream().anyMatch(n -> n.startsWith("rope_type dynamic")
                || n.startsWith("llama3 bands"))) {
            expected.add("rope_type");
        }
        if (audit.notCarried().stream().anyMatch(n -> n.startsWith("rope_theta "))) {
            expected.add("rope_theta");
        }
        Set<String> auditPairs = audit.differences().stream().filter(d -> d.kind().equals("frequency"))
                .map(d -> "frequency " + d.pair() + " @" + d.hfSeqLen())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(audit.differences().size(), auditPairs.size(), stem + ": only frequency differences expected, "
                + "got " + audit.differences());
        assertTrue(auditPairs.containsAll(AXIS_ONLY.getOrDefault(stem, Set.of())), stem + ": " + auditPairs);
        auditPairs.removeAll(AXIS_ONLY.getOrDefault(stem, Set.of()));
        expected.addAll(auditPairs);

        Set<String> got = new TreeSet<>();
        for (int i = 0; i < hf.numLayers(); i++) {
            got.addAll(differences(hf.forLayer(i), ours.forLayer(i), model.contextLength()));
        }
        assertEquals(expected, got, stem);
    }

    /** The fields of two layers that differ ({@code frequency i @n}: pair i, at an HF pass of n tokens, 0: any). */
    private static Set<String> differences(LayerAttention hf, LayerAttention ours, int nCtx) {
        Set<String> d = new TreeSet<>();
        Map<String, Boolean> same = new java.util.LinkedHashMap<>();
        same.put("layer_type", hf.layerType().equals(ours.layerType()));
        same.put("query_heads", hf.queryHeads() == ours.queryHeads());
        same.put("kv_heads", hf.keyValueHeads() == ours.keyValueHeads());
        same.put("qk_head_dim", hf.qkHeadDim() == ours.qkHeadDim());
        same.put("v_head_dim", hf.vHeadDim() == ours.vHeadDim());
        same.put("softmax_scale", Math.abs(hf.softmaxScale() - ours.softmaxScale())
                <= SCALE_RELATIVE_TOLERANCE * hf.softmaxScale());
        same.put("sliding_window", hf.slidingWindow().equals(ours.slidingWindow()));
        same.put("attention_chunk_size", hf.attentionChunkSize().equals(ours.attentionChunkSize()));
        same.put("logit_softcapping", hf.logitSoftcapping().equals(ours.logitSoftcapping()));
        same.put("query_temperature", hf.queryTemperature().equals(ours.queryTemperature()));
        same.put("encoding", hf.rotates() == ours.rotates());
        if (hf.encoding() instanceof LayerEncoding.Rotary a && ours.encoding() instanceof LayerEncoding.Rotary b) {
            same.put("rotary_offset", a.offset() == b.offset());
            same.put("rotary_dim", a.spec().rotaryDim() == b.spec().rotaryDim());
            same.put("rope_head_dim", a.spec().headDim() == b.spec().headDim());
            same.put("shared_key_head", a.sharedKeyHead() == b.sharedKeyHead());
            same.put("mrope", a.mrope().equals(b.mrope()));
            same.put("layout", a.spec().layout() == b.spec().layout());
            same.put("rope_type", a.spec().ropeType() == b.spec().ropeType());
            same.put("rope_theta", (float) a.spec().ropeTheta() == (float) b.spec().ropeTheta());
            d.addAll(frequencyDifferences(a.spec(), b.spec(), nCtx));
        }
        same.forEach((field, equal) -> {
            if (!equal) {
                d.add(field);
            }
        });
        return d;
    }

    /** As the audit labels them: HF at a 1-token pass and at n_ctx; "@0" when HF's frequencies do not depend on it. */
    private static Set<String> frequencyDifferences(RopeSpec hf, RopeSpec ours, int nCtx) {
        float[] atOne = hf.frequencies(1).invFreq();
        float[] atCtx = hf.frequencies(nCtx).invFreq();
        boolean lengthFree = Arrays.equals(atOne, atCtx)
                && hf.frequencies(1).attentionScaling() == hf.frequencies(nCtx).attentionScaling();
        float[] mine = ours.frequencies(nCtx).invFreq();
        Set<String> d = new TreeSet<>();
        for (long seqLen : lengthFree ? new long[] {1} : new long[] {1, nCtx}) {
            float[] theirs = seqLen == 1 ? atOne : atCtx;
            for (int i = 0; i < theirs.length; i++) {
                double scale = Math.max(Math.abs(theirs[i]), Math.abs(mine[i]));
                if (Math.abs(theirs[i] - mine[i]) > ConversionAudit.AGREE_ULPS * Math.ulp((float) scale)) {
                    d.add("frequency " + i + " @" + (lengthFree ? 0 : seqLen));
                }
            }
        }
        return d;
    }

    /** Every layer's rotation is ggml's for that layer's own call: same slice, layout, angles and magnitude. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("converted")
    void eachLayerRotatesAsItsGgmlCall(Path gguf) {
        LlamaCppModel model = GgufConfig.model(gguf);
        Assumptions.assumeTrue(model.positionConfig(0).encoding() instanceof dev.posenc.config.RopeEncoding,
                "no rope");
        ModelGeometry geometry = model.geometry(0);
        int tokens = 4;
        int past = 96;
        for (int il : new int[] {0, 1, geometry.numLayers() - 1}) {
            LayerAttention layer = geometry.forLayer(il);
            LayerEncoding.Rotary r = (LayerEncoding.Rotary) layer.encoding();
            int qk = layer.qkHeadDim();
            int ropeDim = r.spec().headDim();
            int heads = layer.queryHeads();
            float[] q = new float[tokens * heads * qk];
            for (int i = 0; i < q.length; i++) {
                q[i] = (float) Math.sin(0.37 * i + 0.11);
            }
            float[] k = new float[tokens * (r.sharedKeyHead() ? ropeDim : layer.keyValueHeads() * qk)];
            float[] rotated = q.clone();
            LayerRotation rotation = layer.rotation(past + tokens).orElseThrow();
            RopePositions positions = r.mrope().isPresent()
                    ? RopePositions.axes(range(past, tokens), range(past, tokens), range(past, tokens))
                    : RopePositions.startingAt(past);
            rotation.apply(positions, tokens, rotated, k);

            GgmlRopeCall call = model.ropeCall(0, il);
            float[] slice = new float[tokens * heads * ropeDim];
            long[][] pos = new long[tokens][];
            for (int t = 0; t < tokens; t++) {
                pos[t] = call.textPosition(past + t);
                for (int h = 0; h < heads; h++) {
                    System.arraycopy(q, (t * heads + h) * qk + r.offset(), slice, (t * heads + h) * ropeDim, ropeDim);
                }
            }
            double[] want = call.rotateExact(slice, ropeDim, heads, pos);
            Set<Integer> axisOnly = call.mode() == GgmlRopeCall.IMROPE ? Set.of(61, 62) : Set.of();
            double worst = 0;
            for (int t = 0; t < tokens; t++) {
                for (int h = 0; h < heads; h++) {
                    for (int c = 0; c < qk; c++) {
                        int at = (t * heads + h) * qk + c;
                        int inSlice = c - r.offset();
                        if (inSlice < 0 || inSlice >= ropeDim) {
                            assertEquals(q[at], rotated[at], gguf + " layer " + il + ": unrotated column " + c);
                            continue;
                        }
                        int pair = r.spec().layout() == dev.posenc.querykey.RopeLayout.INTERLEAVED ? inSlice / 2
                                : inSlice % (ropeDim / 2);
                        if (axisOnly.contains(pair)) {
                            continue;
                        }
                        worst = Math.max(worst, Math.abs(rotated[at] - want[(t * heads + h) * ropeDim + inSlice]));
                    }
                }
            }
            assertTrue(worst <= ROTATION_TOLERANCE, gguf + " layer " + il + ": |posenc − ggml formula| " + worst);
        }
    }

    private static int[] range(int from, int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> from + i);
        return out;
    }

    // -------------------------------------------------------------------------------------------------------------
    // the named models, value by value
    // -------------------------------------------------------------------------------------------------------------

    private static Path fixture(String stem) {
        Path root = GgufFolder.find().orElse(null);
        Assumptions.assumeTrue(root != null, "shared fixtures absent");
        return root.resolve("converted/" + stem + ".gguf");
    }

    @Test
    void gemma2SlidesOnEvenLayersWithLlamaCppsScale() {
        ModelGeometry g = GgufConfig.loadGeometry(fixture("gemma-2-9b-it"));
        assertEquals(42, g.numLayers());
        LayerAttention sliding = g.forLayer(0);
        LayerAttention global = g.forLayer(1);
        assertEquals("sliding_attention", sliding.layerType());
        assertEquals(4096, sliding.slidingWindow().getAsInt());
        assertEquals("full_attention", global.layerType());
        assertTrue(global.slidingWindow().isEmpty());
        assertEquals(16, global.queryHeads());
        assertEquals(8, global.keyValueHeads());
        assertEquals(256, global.qkHeadDim());
        assertEquals(0.0625, global.softmaxScale());
        assertEquals(50.0, global.logitSoftcapping().getAsDouble());
    }

    @Test
    void deepseekV3IsMlaWithTheMscaleSquaredScale() {
        ModelGeometry g = GgufConfig.loadGeometry(fixture("deepseek-v3-base"));
        LayerAttention l = g.forLayer(5);
        assertEquals(128, l.queryHeads());
        assertEquals(128, l.keyValueHeads(), "decompressed MLA: one key head per query head");
        assertEquals(192, l.qkHeadDim());
        assertEquals(128, l.vHeadDim());
        LayerEncoding.Rotary r = (LayerEncoding.Rotary) l.encoding();
        assertEquals(128, r.offset());
        assertEquals(64, r.spec().rotaryDim());
        assertTrue(r.sharedKeyHead());
        double mscale = 0.1 * Math.log(40) + 1;
        assertEquals(mscale * mscale / Math.sqrt(192), l.softmaxScale(), SCALE_RELATIVE_TOLERANCE * l.softmaxScale());
    }

    @Test
    void gptOssLlama31AndQwen2VlHeads() {
        ModelGeometry oss = GgufConfig.loadGeometry(fixture("gpt-oss-20b"));
        assertEquals(128, oss.forLayer(0).slidingWindow().getAsInt());
        assertTrue(oss.forLayer(1).slidingWindow().isEmpty());
        assertEquals(0.125, oss.forLayer(1).softmaxScale());
        ModelGeometry llama = GgufConfig.loadGeometry(fixture("llama-3.1-8b"));
        assertEquals(8, llama.forLayer(31).keyValueHeads());
        assertEquals(Set.of(false), llama.layers().stream().map(l -> l.slidingWindow().isPresent())
                .collect(Collectors.toSet()));
        ModelGeometry qwen = GgufConfig.loadGeometry(fixture("qwen2-vl-7b-olmocr"));
        LayerEncoding.Rotary r = (LayerEncoding.Rotary) qwen.forLayer(0).encoding();
        assertEquals(List.of(16, 24, 24), Arrays.stream(r.mrope().orElseThrow().section()).boxed().toList());
        assertFalse(r.mrope().get().interleaved());
    }

    // -------------------------------------------------------------------------------------------------------------
    // what llama.cpp reads that no fixture has: per-layer head arrays, Llama 4, Cohere 2, gemma2 27B, attention.scale
    // -------------------------------------------------------------------------------------------------------------

    @TempDir
    Path dir;

    private Path write(GgufBuilder b) throws IOException {
        Path p = dir.resolve("m.gguf");
        Files.write(p, b.build());
        return p;
    }

    private static GgufBuilder arch(String arch, int layers) {
        return GgufBuilder.v3().string("general.architecture", arch).u32(arch + ".context_length", 8192)
                .u32(arch + ".embedding_length", 512).u32(arch + ".block_count", layers)
                .u32(arch + ".attention.head_count", 8);
    }

    @Test
    void perLayerHeadCounts() throws IOException {
        ModelGeometry g = GgufConfig.loadGeometry(write(GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3)
                .u32Array("llama.attention.head_count_kv", 4, 1)));
        assertEquals(4, g.forLayer(0).keyValueHeads());
        assertEquals(1, g.forLayer(1).keyValueHeads());
        assertEquals(64, g.forLayer(1).qkHeadDim());
    }

    @Test
    void badHeadCountsNameTheKey() throws IOException {
        Path three = write(GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3)
                .u32Array("llama.attention.head_count_kv", 4, 1, 1));
        ConfigException e = assertThrows(ConfigException.class, () -> GgufConfig.loadGeometry(three));
        assertEquals(three + ": llama.attention.head_count_kv: expected one integer or one per layer (block_count "
                + "2), got an array of 3", e.getMessage());
        Path three2 = write(GgufBuilder.llama(ByteOrder.LITTLE_ENDIAN, 3).u32("llama.attention.head_count_kv", 3));
        e = assertThrows(ConfigException.class, () -> GgufConfig.loadGeometry(three2));
        assertEquals(three2 + ": llama.attention.head_count_kv[0]: expected a positive divisor of the 4 query heads, "
                + "got 3", e.getMessage());
        Path none = write(GgufBuilder.v3().string("general.architecture", "llama").u32("llama.context_length", 4096)
                .u32("llama.embedding_length", 256).u32("llama.block_count", 2)
                .u32Array("llama.attention.head_count", 4, 0).u32("llama.attention.key_length", 64));
        e = assertThrows(ConfigException.class, () -> GgufConfig.loadGeometry(none));
        assertTrue(e.getMessage().startsWith(none + ": llama.attention.head_count[1]: expected a positive integer"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void llama4SkipsRopeOnEveryFourthLayerAndChunksTheOthers() throws IOException {
        ModelGeometry g = GgufConfig.loadGeometry(write(arch("llama4", 8).f32("llama4.rope.freq_base", 500000f)));
        for (int il = 0; il < 8; il++) {
            LayerAttention l = g.forLayer(il);
            boolean nope = (il + 1) % 4 == 0;
            assertEquals(!nope, l.rotates(), "layer " + il);
            assertEquals(nope ? "full_attention" : "chunked_attention", l.layerType(), "layer " + il);
            assertEquals(nope, l.attentionChunkSize().isEmpty(), "layer " + il);
            assertEquals(nope, l.queryTemperature().isPresent(), "layer " + il);
            assertEquals(1 / Math.sqrt(64), l.softmaxScale(), 1e-9);
        }
    }

    @Test
    void cohere2RotatesSlidingLayersOnlyWithTheGlobalBase() throws IOException {
        ModelGeometry g = GgufConfig.loadGeometry(write(arch("cohere2", 4).f32("cohere2.rope.freq_base", 50000f)
                .f32("cohere2.rope.freq_base_swa", 1234f).u32("cohere2.attention.sliding_window", 4096)));
        for (int il = 0; il < 3; il++) {
            LayerEncoding.Rotary r = (LayerEncoding.Rotary) g.forLayer(il).encoding();
            assertEquals(50000f, (float) r.spec().ropeTheta(), "layer " + il + ": cohere2-iswa.cpp uses freq_base");
            assertEquals(4096, g.forLayer(il).slidingWindow().getAsInt());
        }
        assertFalse(g.forLayer(3).rotates());
        assertTrue(g.config().encoding() instanceof dev.posenc.config.RopeEncoding);
    }

    @Test
    void gemmaScalesFollowTheModelTypeAndAttentionScaleIsRead() throws IOException {
        // gemma2 with 46 layers is the 27B: 1/sqrt(n_embd / n_head) = 1/sqrt(512 / 8), not 1/sqrt(key_length 128)
        ModelGeometry g27 = GgufConfig.loadGeometry(write(arch("gemma2", 46).u32("gemma2.attention.key_length", 128)));
        assertEquals((double) (1.0f / (float) Math.sqrt(64f)), g27.forLayer(0).softmaxScale());
        assertEquals(4096, g27.forLayer(0).slidingWindow().getAsInt(), "gemma2.cpp:5 default window");
        ModelGeometry g9 = GgufConfig.loadGeometry(write(arch("gemma2", 42).u32("gemma2.attention.key_length", 128)));
        assertEquals((double) (1.0f / (float) Math.sqrt(128f)), g9.forLayer(0).softmaxScale());
        ModelGeometry granite = GgufConfig.loadGeometry(write(arch("granite", 2).f32("granite.attention.scale",
                0.0078125f)));
        assertEquals(0.0078125, granite.forLayer(1).softmaxScale());
    }

    @Test
    void modelsWithoutLayersOrRopeAreOneLineErrors() throws IOException {
        Path noLayers = write(GgufBuilder.v3().string("general.architecture", "llama")
                .u32("llama.context_length", 4096).u32("llama.embedding_length", 256)
                .u32("llama.attention.head_count", 4));
        ConfigException e = assertThrows(ConfigException.class, () -> GgufConfig.loadGeometry(noLayers));
        assertEquals(noLayers + ": llama.block_count: expected a positive integer (the number of layers), got no "
                + "such key", e.getMessage());
        Path mla = write(arch("deepseek2", 1).u32("deepseek2.attention.key_length", 576)
                .u32("deepseek2.rope.dimension_count", 64).u32("deepseek2.attention.key_length_mla", 32));
        e = assertThrows(ConfigException.class, () -> GgufConfig.loadGeometry(mla));
        assertEquals(mla + ": deepseek2.attention.key_length_mla: expected at least rope.dimension_count 64 (the "
                + "rotated part of each head), got 32", e.getMessage());
    }
}
