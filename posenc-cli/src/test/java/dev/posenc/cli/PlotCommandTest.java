package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad plot names and options: one line on stderr, exit code 2, nothing on stdout. */
class PlotCommandTest {
    static void assertBadInput(CliRun run, String expected) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("posenc: ") && run.err().contains(expected), run.err());
    }

    @Test
    void unknownName() {
        assertBadInput(CliRun.of("plot", "no-such-plot"), "unknown plot 'no-such-plot'; expected one of clock,");
    }

    @Test
    void missingName() {
        assertBadInput(CliRun.of("plot"), "NAME");
    }

    @Test
    void svgAndPngTogether() {
        assertBadInput(CliRun.of("plot", "decay", "--svg", "--png"), "--svg and --png exclude each other");
    }

    @Test
    void configOnAPlotThatTakesNone() {
        assertBadInput(CliRun.of("plot", "decay", "--config", "x.json"), "plot 'decay' takes no --config");
    }

    @Test
    void missingConfigFile() {
        assertBadInput(CliRun.of("plot", "bands", "--config", "/no/such/config.json"), "/no/such/config.json: no such file");
    }

    @Test
    void unknownOption() {
        assertBadInput(CliRun.of("plot", "decay", "--jpeg"), "--jpeg");
    }
}
