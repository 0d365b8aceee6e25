package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class AbsoluteCommandTest {
    /** pe-methods' sinusoid test vector is given to 6 digits. */
    static final double TABLE_ABS_TOL = 5e-7;
    /** The table holds double sin/cos of the exact angle 1: Math.sin here and there may differ by 1 ulp each way. */
    static final int DOUBLE_TRIG_ULPS = 2;

    @Test
    void sinusoidalTableAsJsonMatchesTheTestVector() throws Exception {
        CliRun run = CliRun.of("absolute", "sinusoidal", "--dim", "8", "--positions", "3", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode out = JsonOutput.mapper().readTree(run.out());
        assertEquals(1, out.size());
        JsonNode table = out.get("table");
        assertEquals(3, table.size());
        double[] p1 = {.841471, .540302, .099833, .995004, .01, .99995, .001, 1};
        for (int c = 0; c < 8; c++) {
            assertEquals(c % 2 == 0 ? 0.0 : 1.0, table.get(0).get(c).asDouble()); // sin 0, cos 0: exact
            assertEquals(p1[c], table.get(1).get(c).asDouble(), TABLE_ABS_TOL, "p=1 c=" + c);
        }
    }

    @Test
    void concatenatedLayoutAndHumanForm() throws Exception {
        CliRun run = CliRun.of("absolute", "sinusoidal", "--dim", "4", "--positions", "2", "--layout", "concatenated",
                "--json");
        JsonNode row = JsonOutput.mapper().readTree(run.out()).get("table").get(1);
        assertEquals(Math.sin(1), row.get(0).asDouble(), DOUBLE_TRIG_ULPS * Math.ulp(Math.sin(1)));
        assertEquals(Math.cos(1), row.get(2).asDouble(), DOUBLE_TRIG_ULPS * Math.ulp(Math.cos(1)));
        CliRun human = CliRun.of("absolute", "sinusoidal", "--dim", "4", "--positions", "2");
        assertEquals(0, human.exitCode(), human.err());
        assertTrue(human.out().contains("0.841471"), human.out());
    }
}
