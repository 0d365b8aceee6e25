package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.bench.HugePages;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code posenc bench rope}: its argument errors, and the JSON contract of one tiny in-process run. */
class BenchRopeCommandTest {
    /**
     * Derived figures are one division of figures the same JSON holds (doubles round-trip exactly through it): redone
     * here, they agree to the last bit; one ulp of slack.
     */
    static final int DERIVED_FIGURE_ULPS = 1;

    static {
        // The JSON test checks the output contract, not timings: it may run while another benchmark holds JMH's
        // machine-wide lock (/tmp/jmh.lock), as it will when engineers share a build machine.
        System.setProperty("jmh.ignoreLock", "true");
    }

    private static void assertBadInput(String expectedMessage, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertEquals("posenc: " + expectedMessage, run.err().strip());
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        assertBadInput("--layout: expected half or interleaved, got \"diagonal\"",
                "bench", "rope", "--layout", "diagonal");
        assertBadInput("--head-dim: expected an even number >= 2, got 7", "bench", "rope", "--head-dim", "7");
        assertBadInput("--threads: expected a number >= 1, got 0", "bench", "rope", "--threads", "0");
        assertBadInput("--dtype: expected float32, float16 or bfloat16, got \"fp8\"", "bench", "rope", "--dtype", "fp8");
        assertBadInput("--memory: expected heap or native, got \"gpu\"", "bench", "rope", "--memory", "gpu");
        assertBadInput("--threads: expected at most --tokens=4, got 8",
                "bench", "rope", "--tokens", "4", "--threads", "8");
        assertBadInput("--heads x --tokens x --head-dim = 4294967296 floats does not fit in one Java array; use fewer"
                + " tokens", "bench", "rope", "--heads", "1024", "--tokens", "32768", "--head-dim", "128");
    }

    /** A real JMH run of all five benchmarks, in this JVM (forks 0) and as short as JMH allows. */
    @Test
    void jsonReportsThroughputBaselineAndDecode() throws Exception {
        CliRun run = CliRun.of("bench", "rope", "--json", "--head-dim", "16", "--heads", "4", "--kv-heads", "2",
                "--tokens", "8", "--layout", "interleaved", "--threads", "2", "--forks", "0", "--warmup", "0",
                "--iterations", "1", "--iteration-ms", "20");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = JsonOutput.mapper().readTree(run.out());
        assertEquals(8L * (4 + 2) * 8 * 16, json.get("bytes_per_call").asLong());
        for (String key : List.of("bytes_per_s", "elements_per_s", "scalar_bytes_per_s", "baseline_bytes_per_s",
                "fraction_of_bandwidth", "speedup_over_scalar", "ns_per_call", "decode_ns_per_call",
                "decode_scalar_ns_per_call", "decode_baseline_ns_per_call")) {
            assertTrue(json.get(key).isNumber() && json.get(key).asDouble() > 0, key + " in " + run.out());
        }
        double elements = json.get("bytes_per_s").asDouble() / 8;
        assertEquals(elements, json.get("elements_per_s").asDouble(), DERIVED_FIGURE_ULPS * Math.ulp(elements));
        double fraction = json.get("bytes_per_s").asDouble() / json.get("baseline_bytes_per_s").asDouble();
        assertEquals(fraction, json.get("jmh_fraction_of_bandwidth").asDouble(),
                DERIVED_FIGURE_ULPS * Math.ulp(fraction));
        // the headline fractions are the medians of the alternating rounds, between their quartiles
        for (String key : List.of("fraction_of_bandwidth", "on_the_fly_fraction_of_table")) {
            JsonNode q = json.get(key + "_quartiles");
            assertEquals(3, q.size(), key);
            assertEquals(q.get(1).asDouble(), json.get(key).asDouble(), 0.0, key);
            assertTrue(q.get(0).asDouble() > 0 && q.get(0).asDouble() <= q.get(1).asDouble()
                    && q.get(1).asDouble() <= q.get(2).asDouble(), key + " quartiles " + q);
        }
        assertTrue(json.get("paired_rounds").asInt() >= 5, run.out());
        assertEquals("interleaved", json.get("layout").asText());
        assertEquals(2, json.get("threads").asInt());
        assertFalse(json.has("compute_ceiling"), "the decoding step runs on one thread: " + run.out());
        assertTrue(json.get("kernel").asText().startsWith("vector-"), run.out());
        // which pages the buffers sat on: this JVM's (forks 0), as HugePages reads them
        assertEquals(HugePages.inUse(), json.get("transparent_huge_pages").asBoolean(), run.out());
    }

    /** The kernel's switch file names its mode in brackets; anything else reads as no huge pages. */
    @Test
    void hugePageModeIsTheBracketedWord() {
        assertEquals("madvise", HugePages.mode("always [madvise] never\n"));
        assertEquals("always", HugePages.mode("[always] madvise never"));
        assertEquals("never", HugePages.mode("always madvise [never]"));
        assertEquals(null, HugePages.mode("always madvise never"));
        assertEquals(null, HugePages.mode("[] madvise"));
        assertEquals(null, HugePages.mode("always [madvise"));
    }

    /** Half precision: 4 bytes per element (2 read, 2 written), the baseline on the same short buffers. */
    @Test
    void halfPrecisionCountsTwoBytesPerElement() throws Exception {
        CliRun run = CliRun.of("bench", "rope", "--json", "--dtype", "bfloat16", "--head-dim", "16", "--heads", "4",
                "--kv-heads", "2", "--tokens", "8", "--threads", "1", "--forks", "0", "--warmup", "0", "--iterations",
                "1", "--iteration-ms", "20");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = JsonOutput.mapper().readTree(run.out());
        assertEquals(4L * (4 + 2) * 8 * 16, json.get("bytes_per_call").asLong());
        assertEquals("bfloat16", json.get("dtype").asText());
        assertTrue(json.get("baseline_bytes_per_s").asDouble() > 0, run.out());
        // one thread: the compute ceiling, the baseline's time per element over the decoding step's
        double ceiling = json.get("baseline_ns_per_call").asDouble()
                / (8 * json.get("decode_ns_per_call").asDouble());
        assertEquals(ceiling, json.get("compute_ceiling").asDouble(), DERIVED_FIGURE_ULPS * Math.ulp(ceiling));
    }

    /**
     * Native memory: the same benchmarks on segments (float16 here, two threads splitting kernel and baseline), the
     * text report naming the memory and its pages as HugePages reads them for memory outside the heap.
     */
    @Test
    void nativeMemoryRunsOnSegmentsAndSaysSo() throws Exception {
        CliRun run = CliRun.of("bench", "rope", "--json", "--memory", "native", "--dtype", "float16", "--head-dim",
                "24", "--heads", "3", "--kv-heads", "1", "--tokens", "9", "--threads", "2", "--forks", "0", "--warmup",
                "0", "--iterations", "1", "--iteration-ms", "20");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = JsonOutput.mapper().readTree(run.out());
        assertEquals("native", json.get("memory").asText());
        assertEquals(4L * (3 + 1) * 9 * 24, json.get("bytes_per_call").asLong());
        for (String key : List.of("bytes_per_s", "baseline_bytes_per_s", "on_the_fly_bytes_per_s",
                "decode_ns_per_call", "decode_baseline_ns_per_call")) {
            assertTrue(json.get(key).isNumber() && json.get(key).asDouble() > 0, key + " in " + run.out());
        }
        assertEquals(HugePages.inUseOffHeap(), json.get("transparent_huge_pages").asBoolean(), run.out());

        CliRun text = CliRun.of("bench", "rope", "--memory", "native", "--head-dim", "16", "--heads", "2",
                "--kv-heads", "1", "--tokens", "4", "--forks", "0", "--warmup", "0", "--iterations", "1",
                "--iteration-ms", "20");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("memory: native segments (2 MiB-aligned) on "
                + (HugePages.inUseOffHeap() ? "transparent huge pages" : "4 KiB pages")), text.out());
    }
}
