package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code posenc bench shift}: argument errors, and the JSON of a short run. */
class BenchShiftCommandTest {
    /**
     * One shift is within ContextShiftTest's bound of a fresh rotation: 5 float32 ulps of the pair length
     * (2^-24 each, here counted in 2^-23), 2 ulps of a half format.
     */
    private static final double ONE_SHIFT_FLOAT32_ULPS = 2.5;
    private static final double ONE_SHIFT_HALF_ULPS = 2;

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        CliRun run = CliRun.of("bench", "shift", "--delta", "5");
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals("posenc: --delta: expected negative shifts with |delta| x --shifts < 2^31, got 5",
                run.err().strip());
    }

    @Test
    void oneShiftIsWithinTheBoundInEveryType() throws Exception {
        CliRun run = CliRun.of("bench", "shift", "--json", "--shifts", "1", "--head-dim", "32", "--delta", "-7,-300");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = JsonOutput.mapper().readTree(run.out());
        assertEquals(6, json.get("rows").size());
        for (JsonNode row : json.get("rows")) {
            double bound = row.get("dtype").asText().equals("float32") ? ONE_SHIFT_FLOAT32_ULPS : ONE_SHIFT_HALF_ULPS;
            double ulps = row.get("posenc_max").asDouble() / row.get("ulp").asDouble();
            assertTrue(ulps <= bound, row.toString());
            assertTrue(row.get("naive_max").asDouble() > 0, row.toString());
        }
    }
}
