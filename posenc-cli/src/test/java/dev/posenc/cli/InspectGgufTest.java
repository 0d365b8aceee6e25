package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.testing.GgufFolder;
import dev.posenc.testing.HfConfigsFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code posenc inspect MODEL.gguf}: llama.cpp's semantics, the conversion audit, hostile files. */
class InspectGgufTest {
    @TempDir
    Path dir;

    private static Path converted(String stem) {
        assumeTrue(GgufFolder.find().isPresent(), "shared gguf fixtures absent");
        return GgufFolder.find().get().resolve("converted").resolve(stem + ".gguf");
    }

    @Test
    void jsonHasTheConfigSchemaPlusSourceAndSemantics() throws IOException {
        CliRun run = CliRun.of("inspect", converted("phi-3.5-mini-instruct").toString(), "--json", "--ctx", "4096");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = JsonOutput.mapper().readTree(run.out());
        assertEquals("gguf", j.get("source").asText());
        assertEquals("llama.cpp", j.get("semantics").asText());
        assertEquals("rope", j.get("kind").asText());
        assertEquals("half", j.get("layout").asText());
        assertEquals(48, j.get("inv_freq").size());
        assertEquals("rope_factors_short.weight", j.get("llama_cpp").get("freq_factors").asText());
        assertEquals(1.19023812, j.get("attention_scaling").asDouble(), 1e-7);
        assertEquals(32, j.get("layers").get("block_count").asInt());
    }

    /** The same "geometry" object and table as for a config.json, each layer as llama.cpp builds it. */
    @Test
    void geometryAsLlamaCppBuildsEachLayer() throws IOException {
        CliRun run = CliRun.of("inspect", converted("gemma-2-9b-it").toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode g = JsonOutput.mapper().readTree(run.out()).get("geometry");
        assertEquals(42, g.get("num_layers").asInt());
        JsonNode sliding = g.get("layers").get(0);
        assertEquals("sliding_attention", sliding.get("layer_type").asText());
        assertEquals(4096, sliding.get("sliding_window").asInt());
        assertEquals(0.0625, sliding.get("softmax_scale").asDouble());
        assertEquals(50.0, sliding.get("logit_softcapping").asDouble());
        assertTrue(g.get("layers").get(1).get("sliding_window").isNull());
        CliRun text = CliRun.of("inspect", converted("deepseek-v3-base").toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("attention geometry, 61 layers:\n  layers 0-60: full_attention, heads "
                + "128/128 (q/kv), head_dim 192 (v 128), rope yarn theta 10000 on [128, 192) of q, keys: one shared "
                + "k_pe head of 64, softmax scale 0.1352337747812271\n"), text.out());
        CliRun t5 = CliRun.of("inspect", converted("t5-base").toString(), "--json");
        assertEquals(0, t5.exitCode(), t5.err());
        assertFalse(JsonOutput.mapper().readTree(t5.out()).has("geometry"));
    }

    @Test
    void auditAgainstTheSourceConfig() throws IOException {
        assumeTrue(HfConfigsFolder.find().isPresent(), "shared hf-configs absent");
        Path config = HfConfigsFolder.find().get().resolve("stable-code-3b.json");
        CliRun run = CliRun.of("inspect", "--against", config.toString(), converted("stable-code-3b").toString(),
                "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode audit = JsonOutput.mapper().readTree(run.out()).get("audit");
        assertEquals(9, audit.get("differences").size());
        assertTrue(audit.get("not_carried").get(0).asText().startsWith("rope_theta 1000000.0: not written"));
        CliRun same = CliRun.of("inspect", "--against",
                HfConfigsFolder.find().get().resolve("qwen3-8b.json").toString(), converted("qwen3-8b").toString());
        assertEquals(0, same.exitCode(), same.err());
        assertTrue(same.out().contains("rotations agree on every pair"), same.out());
    }

    @Test
    void hostileFileIsOneLineAndExitTwo() throws IOException {
        Path bad = dir.resolve("bad.gguf");
        Files.write(bad, new byte[] {'G', 'G', 'U', 'F', 3, 0, 0, 0, 1, 2});
        CliRun run = CliRun.of("inspect", bad.toString());
        assertEquals(2, run.exitCode());
        assertEquals("", run.out());
        String err = run.err().strip();
        assertFalse(err.contains("\n"), err);
        assertTrue(err.contains(bad + ": byte 8: expected a tensor count"), err);
    }
}
