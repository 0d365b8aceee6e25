package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BiasCommandsTest {
    /** Slopes printed by the CLI against the pe-methods test vectors (given to 6 digits). */
    static final double SLOPE_ABS_TOL = 5e-7;
    /** MPT's float32 slopes against the paper rule's double ones: float32 rounding (≤ 6e-8 relative), twice. */
    static final double SAME_SLOPE_REL_TOL = 1e-7;

    private static JsonNode json(CliRun run) throws Exception {
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("", run.err());
        return JsonOutput.mapper().readTree(run.out());
    }

    @Test
    void t5BidirectionalBucketsAsJson() throws Exception {
        JsonNode out = json(CliRun.of("bias", "t5", "--buckets", "32", "--max-distance", "128", "--from", "-9", "--to",
                "9", "--json"));
        assertEquals(2, out.size());
        assertEquals(-9, out.get("relative_position").get(0).asInt());
        assertEquals(9, out.get("relative_position").get(18).asInt());
        int[] expected = {8, 8, 7, 6, 5, 4, 3, 2, 1, 0, 17, 18, 19, 20, 21, 22, 23, 24, 24};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], out.get("bucket").get(i).asInt(), "rp=" + (i - 9));
        }
    }

    @Test
    void t5CausalBucketsDefaultMaxDistance() throws Exception {
        JsonNode out = json(CliRun.of("bias", "t5", "--buckets", "32", "--causal", "--from", "-200", "--to", "1",
                "--json"));
        assertEquals(31, out.get("bucket").get(0).asInt());
        assertEquals(26, out.get("bucket").get(200 - 64).asInt());
        assertEquals(0, out.get("bucket").get(201).asInt());
    }

    @Test
    void debertaBucketsAsJsonWithQueryMinusKey() throws Exception {
        JsonNode out = json(CliRun.of("bias", "deberta", "--buckets", "256", "--max-position", "512", "--from", "-1000",
                "--to", "1000", "--json"));
        assertEquals(2001, out.get("bucket").size());
        assertEquals(-317, out.get("bucket").get(0).asInt());
        assertEquals(317, out.get("bucket").get(2000).asInt());
        assertEquals(129, out.get("bucket").get(1129).asInt());
    }

    @Test
    void alibiSlopesForEachStyle() throws Exception {
        JsonNode twelveHeads = json(CliRun.of("bias", "alibi", "--heads", "12", "--json"));
        assertEquals(1, twelveHeads.size());
        double[] twelve = {.5, .25, .125, .0625, .03125, .015625, .0078125, .00390625, .707107, .353553, .176777, .088388};
        for (int h = 0; h < 12; h++) {
            assertEquals(twelve[h], twelveHeads.get("slopes").get(h).asDouble(), SLOPE_ABS_TOL, "head " + h);
        }
        JsonNode bloom = json(CliRun.of("bias", "alibi", "--heads", "12", "--style", "bloom", "--json"));
        assertEquals(twelve[9], bloom.get("slopes").get(9).asDouble(), SLOPE_ABS_TOL);
        JsonNode mpt = json(CliRun.of("bias", "alibi", "--heads", "4", "--style", "mpt", "--bias-max", "16", "--json"));
        assertEquals(Math.pow(2, -4), mpt.get("slopes").get(0).asDouble()); // powers of two: exact
        assertEquals(Math.pow(2, -16), mpt.get("slopes").get(3).asDouble());
        JsonNode paper = json(CliRun.of("bias", "alibi", "--heads", "6", "--bias-max", "16", "--json"));
        JsonNode mpt6 = json(CliRun.of("bias", "alibi", "--heads", "6", "--style", "mpt", "--bias-max", "16", "--json"));
        for (int h = 0; h < 6; h++) {
            assertEquals(mpt6.get("slopes").get(h).asDouble(), paper.get("slopes").get(h).asDouble(),
                    SAME_SLOPE_REL_TOL * paper.get("slopes").get(h).asDouble(),
                    "paper rule with bias max 16 = MPT's, head " + h);
        }
        assertEquals(0, CliRun.of("bias", "alibi", "--heads", "5", "--style", "bloom", "--bias-max", "8").exitCode());
    }

    @Test
    void humanFormsPrintTables() {
        CliRun t5 = CliRun.of("bias", "t5", "--buckets", "32", "--from", "-2", "--to", "2");
        assertEquals(0, t5.exitCode(), t5.err());
        assertTrue(t5.out().contains("key - query") && t5.out().lines().count() == 7, t5.out());
        CliRun alibi = CliRun.of("bias", "alibi", "--heads", "3", "--style", "mpt");
        assertEquals(0, alibi.exitCode(), alibi.err());
        assertTrue(alibi.out().contains("alibi_bias_max=8.0"), alibi.out());
        CliRun deberta = CliRun.of("bias", "deberta", "--buckets", "4", "--max-position", "16", "--from", "0", "--to", "0");
        assertEquals(0, deberta.exitCode(), deberta.err());
        assertTrue(deberta.out().contains("query - key"), deberta.out());
    }

    static List<List<String>> badParameters() {
        return List.of(
                List.of("bias", "alibi", "--heads", "0"),
                List.of("bias", "alibi", "--heads", "-3", "--json"),
                List.of("bias", "alibi", "--heads", "8", "--style", "gpt"),
                List.of("bias", "alibi", "--heads", "8", "--style", "bloom", "--bias-max", "4"),
                List.of("bias", "alibi", "--heads", "8", "--style", "mpt", "--bias-max", "-1"),
                List.of("bias", "alibi", "--heads", "1000000000", "--json"),
                List.of("bias", "alibi", "--heads", "65537", "--style", "mpt"),
                List.of("bias", "alibi", "--heads", "1073741825", "--style", "mpt", "--json"),
                List.of("bias", "t5", "--buckets", "32", "--from", "-2147483648", "--to", "2147483647"),
                List.of("bias", "deberta", "--buckets", "256", "--max-position", "512", "--from", "-2147483648",
                        "--to", "2147483647", "--json"),
                List.of("absolute", "sinusoidal", "--dim", "2", "--positions", "2147483647", "--json"),
                List.of("absolute", "sinusoidal", "--dim", "2147483646", "--positions", "1"),
                List.of("absolute", "sinusoidal", "--dim", "1000", "--positions", "1001"),
                List.of("bias", "t5", "--buckets", "1", "--causal", "--from", "0", "--to", "1"),
                List.of("bias", "t5", "--buckets", "3", "--from", "0", "--to", "1", "--json"),
                List.of("bias", "t5", "--buckets", "32", "--max-distance", "-5", "--from", "0", "--to", "1"),
                List.of("bias", "t5", "--buckets", "32", "--max-distance", "8", "--from", "0", "--to", "1"),
                List.of("bias", "t5", "--buckets", "32", "--from", "5", "--to", "3", "--json"),
                List.of("bias", "t5", "--buckets", "32", "--from", "-2000000", "--to", "2000000"),
                List.of("bias", "t5", "--buckets", "32", "--from", "x", "--to", "3"),
                List.of("bias", "t5", "--buckets", "32", "--to", "3"),
                List.of("bias", "deberta", "--buckets", "1", "--max-position", "512", "--from", "0", "--to", "1"),
                List.of("bias", "deberta", "--buckets", "256", "--max-position", "100", "--from", "0", "--to", "1"),
                List.of("bias", "deberta", "--buckets", "256", "--max-position", "-512", "--from", "0", "--to", "1"),
                List.of("bias", "deberta", "--buckets", "256", "--max-position", "512", "--from", "1", "--to", "0"),
                List.of("bias"),
                List.of("absolute", "sinusoidal", "--dim", "7", "--positions", "3"),
                List.of("absolute", "sinusoidal", "--dim", "0", "--positions", "3", "--json"),
                List.of("absolute", "sinusoidal", "--dim", "8", "--positions", "0"),
                List.of("absolute", "sinusoidal", "--dim", "8", "--positions", "3", "--base", "1"),
                List.of("absolute", "sinusoidal", "--dim", "8", "--positions", "3", "--layout", "braided"));
    }

    @ParameterizedTest
    @MethodSource("badParameters")
    void badParametersAreOneLineExitTwoAndNothingOnStdout(List<String> args) {
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, run.exitCode(), args + ": " + run.err());
        assertEquals("", run.out(), args.toString());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("posenc: "), run.err());
    }
}
