package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad plot names and options: one line on stderr, exit code 2, nothing on stdout. */
class PlotCommandTest {
    static void assertBadInput(CliRun run, String expected) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("posenc: ") && run.err().contains(expected), run.err());
    }

    @Test
    void writesPngAndSvg(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("clock.png");
        CliRun run = CliRun.of("plot", "clock", "--png", "-o", png.toString());
        assertEquals(0, run.exitCode(), run.err());
        byte[] bytes = Files.readAllBytes(png);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals('P', bytes[1]);
        Path svg = dir.resolve("bands.svg");
        run = CliRun.of("plot", "bands", "--config", ExampleConfigs.path("qwen2.5-7b-yarn.json").toString(), "-o",
                svg.toString());
        assertEquals(0, run.exitCode(), run.err());
        String text = Files.readString(svg);
        assertTrue(text.startsWith("<?xml") && text.contains("<svg") && text.contains("qwen2.5-7b-yarn.json"));
    }

    @Test
    void bandsOfAModelWithoutRopeIsAnError() {
        assertBadInput(CliRun.of("plot", "bands", "--config", ExampleConfigs.path("t5-base.json").toString()),
                "t5-base.json: the model uses t5_relative_bias, not RoPE");
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

    @Test
    void unknownExtensionsAreRefused(@TempDir Path dir) {
        assertBadInput(CliRun.of("plot", "clock", "-o", dir.resolve("x.jpg").toString()),
                "posenc: " + dir.resolve("x.jpg") + ": expected a file name ending in .svg or .png, got '.jpg'");
        assertBadInput(CliRun.of("plot", "clock", "--png", "-o", dir.resolve("x.svg").toString()),
                "posenc: " + dir.resolve("x.svg") + ": expected a file name ending in .png (--png), got '.svg'");
        assertFalse(java.nio.file.Files.exists(dir.resolve("x.jpg")));
    }
}
