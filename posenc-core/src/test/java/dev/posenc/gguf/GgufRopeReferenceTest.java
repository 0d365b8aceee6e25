package dev.posenc.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posenc.testing.GgufFolder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * posenc's llama.cpp semantics against ggml's own rotations ({@code *.ggml-rope.json} beside each shared GGUF):
 * the derived call arguments equal the ones llama.cpp passed, and {@link GgmlRopeCall#rotateGgml} reproduces
 * ggml's output within {@link #GGML_ULPS} float ulps of each pair's length at every position, 10^6 included
 * (measured: 1 ulp everywhere once the YaRN mix is contracted to an FMA as ggml's build does). Past
 * {@link #MAX_CLOSE_POSITION} it prints how far the exact double evaluation lies from ggml.
 */
class GgufRopeReferenceTest {
    /** ggml's CPU code may contract {@code x0·cos − x1·sin} into an FMA, and its cosf/sinf are not Java's. */
    static final int GGML_ULPS = 4;
    /** Past this position ggml's float angle chain visibly drifts from the exact rotation (reported). */
    static final long MAX_CLOSE_POSITION = 131071;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Stream<Path> dumps() throws IOException {
        Path root = GgufFolder.find().orElse(null);
        Assumptions.assumeTrue(root != null, "shared gguf fixtures absent");
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.filter(p -> p.toString().endsWith(".ggml-rope.json")).sorted().toList();
        }
        assertFalse(all.isEmpty());
        return all.stream();
    }

    static float[] f32(String base64) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dumps")
    void reproducesGgml(Path dump) throws IOException {
        JsonNode d = MAPPER.readTree(dump.toFile());
        Path gguf = dump.resolveSibling(dump.getFileName().toString().replace(".ggml-rope.json", ".gguf"));
        LlamaCppModel model = GgufConfig.model(gguf);
        int headDim = d.get("derivation").get("head_dim").asInt();
        float[] input = f32(d.get("input").get("f32le_base64").asText());
        int tokens = d.get("positions").size();
        int heads = input.length / (headDim * tokens);
        for (JsonNode c : d.get("cases")) {
            JsonNode run = c.get("runs").get(0);
            GgmlRopeCall call = model.ropeCall(c.get("n_ctx").asInt(), 0);
            String what = dump.getFileName() + " n_ctx " + c.get("n_ctx").asInt();
            assertEquals(run.get("n_dims").asInt(), call.nDims(), what);
            assertEquals(run.get("mode").asInt(), call.mode(), what);
            assertEquals(run.get("op").asText().equals("ggml_rope_multi"), call.multi(), what);
            assertEquals(run.get("n_ctx_orig").asInt(), call.nCtxOrig(), what);
            assertEquals((float) run.get("freq_base").asDouble(), call.freqBase(), what);
            assertEquals((float) run.get("freq_scale").asDouble(), call.freqScale(), what);
            assertEquals((float) run.get("ext_factor").asDouble(), call.extFactor(), what);
            assertEquals((float) run.get("attn_factor").asDouble(), call.attnFactor(), what);
            assertEquals((float) run.get("beta_fast").asDouble(), call.betaFast(), what);
            assertEquals((float) run.get("beta_slow").asDouble(), call.betaSlow(), what);
            int[] sections = new int[4];
            for (int i = 0; i < 4; i++) {
                sections[i] = run.get("sections").get(i).asInt();
            }
            assertArrayEquals(sections, call.sections(), what);
            float[] corr = call.corrDims();
            assertEquals(run.get("yarn_corr_dims").get(0).asDouble(), corr[0], what);
            assertEquals(run.get("yarn_corr_dims").get(1).asDouble(), corr[1], what);
            JsonNode ff = c.get("freq_factors");
            assertEquals(ff.isNull() ? "" : c.get("freq_factors_tensor").asText(), call.freqFactorsTensor().orElse(""));
            if (!ff.isNull()) {
                float[] want = new float[ff.size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = (float) ff.get(i).asDouble();
                }
                assertArrayEquals(want, call.freqFactors(), what);
            }
            long[][] pos = new long[tokens][];
            for (int t = 0; t < tokens; t++) {
                long p = d.get("positions").get(t).asLong();
                if (c.has("positions_4d")) {
                    JsonNode p4 = c.get("positions_4d");
                    pos[t] = new long[] {p4.get("t").get(t).asLong(), p4.get("h").get(t).asLong(),
                            p4.get("w").get(t).asLong(), p4.get("e").get(t).asLong()};
                } else {
                    pos[t] = call.textPosition(p);
                }
            }
            float[] expected = f32(run.get("output_f32le_base64").asText());
            float[] got = call.rotateGgml(input, headDim, heads, pos);
            double[] exact = call.rotateExact(input, headDim, heads, pos);
            for (int t = 0; t < tokens; t++) {
                long p = d.get("positions").get(t).asLong();
                double worstUlps = 0;
                double exactVsGgml = 0;
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < call.nDims() / 2; i++) {
                        int base = (t * heads + h) * headDim;
                        int i0 = call.mode() == GgmlRopeCall.NORMAL ? base + 2 * i : base + i;
                        int i1 = call.mode() == GgmlRopeCall.NORMAL ? i0 + 1 : i0 + call.nDims() / 2;
                        float ulp = Math.ulp((float) Math.hypot(expected[i0], expected[i1]));
                        double err = Math.max(Math.abs(got[i0] - expected[i0]), Math.abs(got[i1] - expected[i1]));
                        worstUlps = Math.max(worstUlps, err / ulp);
                        exactVsGgml = Math.max(exactVsGgml, Math.max(Math.abs(exact[i0] - expected[i0]),
                                Math.abs(exact[i1] - expected[i1])));
                    }
                    for (int k = call.nDims(); k < headDim; k++) {
                        int at = (t * heads + h) * headDim + k;
                        assertEquals(input[at], expected[at], what + ": dims past n_dims are copied");
                        assertEquals(input[at], got[at]);
                    }
                }
                assertTrue(worstUlps <= GGML_ULPS, String.format(Locale.ROOT,
                        "%s position %d: %.1f ulps of the pair length from ggml", what, p, worstUlps));
                if (p > MAX_CLOSE_POSITION) {
                    System.out.printf(Locale.ROOT, "%s position %d: float chain %.1f ulps from ggml; exact |Δ| %.3g "
                            + "(ggml vs its float64 model: %s)%n", what, p, worstUlps, exactVsGgml,
                            run.get("max_abs_diff_vs_float64_model_per_position").get(t).asText());
                }
            }
        }
    }
}
