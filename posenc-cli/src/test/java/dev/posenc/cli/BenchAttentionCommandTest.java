package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark's plumbing on a tiny shape, in this JVM (no timing is asserted). */
class BenchAttentionCommandTest {
    /** In-process runs do not need JMH's machine-wide lock, which a benchmark elsewhere on the machine may hold. */
    @BeforeAll
    static void ignoreTheMachineWideJmhLock() {
        System.setProperty("jmh.ignoreLock", "true");
    }

    @Test
    void printsOneJsonObjectWithTheBaselineFirst() throws Exception {
        CliRun run = CliRun.of("bench", "attention", "--seq-len", "64", "--head-dim", "8", "--heads", "2", "--kv-heads",
                "1", "--warmup", "0", "--iterations", "1", "--forks", "0", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode out = JsonOutput.mapper().readTree(run.out());
        assertEquals(64, out.get("seq_len").asInt());
        assertEquals(3, out.get("results").size());
        assertEquals("none", out.get("results").get(0).get("bias").asText());
        assertEquals(1.0, out.get("results").get(0).get("ratio_to_none").asDouble()); // the baseline over itself: exact
        assertEquals("t5", out.get("results").get(2).get("bias").asText());
        assertTrue(out.get("results").get(1).get("best_ms").asDouble() > 0);
        assertTrue(out.get("fma_peak_gflops").asDouble() > 0, out.toString());
        // 4·d flops per causal query/key pair, S(S+1)/2 pairs per head
        assertEquals(4.0 * out.get("head_dim").asInt() * 64 * 65 / 2 * out.get("heads").asInt(),
                out.get("flops_per_call").asDouble());
        assertTrue(out.get("results").get(0).get("best_fraction_of_fma_peak").asDouble() > 0);
    }

    @Test
    void badShapesAreOneLineErrors() {
        for (String[] args : new String[][] {
            {"bench", "attention", "--heads", "3", "--kv-heads", "2"},
            {"bench", "attention", "--bias", "rope"},
            {"bench", "attention", "--seq-len", "0"},
            {"bench", "attention", "--heap", "lots"}}) {
            CliRun run = CliRun.of(args);
            assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.err());
            assertEquals("", run.out());
            assertEquals(1, run.err().lines().count(), run.err());
        }
    }
}
