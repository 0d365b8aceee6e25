package dev.posenc.gguf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.posenc.testing.GgufFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * At positions 131071 and 10^6, against an exact (mpmath) evaluation of ggml's formula
 * ({@code reference/ggml-rope/exact_rope.py}): posenc's {@link GgmlRopeCall#rotateExact} is within
 * {@link #EXACT_TOLERANCE} of it, and closer than ggml's own float32 chain (both errors printed).
 */
class GgufExactReferenceTest {
    /** Double angles near 10^6 rad carry ~1e-10 absolute error; outputs are of magnitude ≤ 1.2. */
    static final double EXACT_TOLERANCE = 1e-9;

    @Test
    void exactEvaluationBeatsGgmlsFloatChain() throws IOException {
        Path root = GgufFolder.find().orElse(null);
        Assumptions.assumeTrue(root != null, "shared gguf fixtures absent");
        ObjectMapper mapper = new ObjectMapper();
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/reference/ggml-rope/vectors.json")) {
            ref = mapper.readTree(in);
        }
        for (JsonNode c : ref.get("cases")) {
            String stem = c.get("fixture").asText();
            JsonNode dump = mapper.readTree(root.resolve("converted").resolve(stem + ".ggml-rope.json").toFile());
            int headDim = dump.get("derivation").get("head_dim").asInt();
            float[] input = GgufRopeReferenceTest.f32(dump.get("input").get("f32le_base64").asText());
            int tokens = dump.get("positions").size();
            int heads = input.length / (headDim * tokens);
            GgmlRopeCall call = GgufConfig.model(root.resolve("converted").resolve(stem + ".gguf"))
                    .ropeCall(c.get("n_ctx").asInt(), 0);
            long p = c.get("position").asLong();
            int t = c.get("token").asInt();
            long[][] pos = new long[tokens][];
            for (int k = 0; k < tokens; k++) {
                pos[k] = call.textPosition(dump.get("positions").get(k).asLong());
            }
            double[] exact = call.rotateExact(input, headDim, heads, pos);
            float[] ggml = GgufRopeReferenceTest.f32(dump.get("cases").get(0).get("runs").get(0)
                    .get("output_f32le_base64").asText());
            double posencErr = 0;
            double ggmlErr = 0;
            JsonNode want = c.get("rotated");
            for (int k = 0; k < want.size(); k++) {
                if (want.get(k).isNull()) {
                    continue;
                }
                int at = t * heads * headDim + k;
                posencErr = Math.max(posencErr, Math.abs(exact[at] - want.get(k).asDouble()));
                ggmlErr = Math.max(ggmlErr, Math.abs(ggml[at] - want.get(k).asDouble()));
            }
            System.out.printf(Locale.ROOT, "%s position %d: |posenc exact − mpmath| %.2g, |ggml − mpmath| %.2g%n",
                    stem, p, posencErr, ggmlErr);
            assertTrue(posencErr <= EXACT_TOLERANCE, stem + " " + p + ": " + posencErr);
            assertTrue(posencErr < ggmlErr, stem + " " + p);
        }
    }
}
