package dev.posenc.cli;

import static dev.posenc.cli.PlotCommandTest.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.posenc.cli.report.ReportPage;
import dev.posenc.cli.report.ReportPageTest;
import dev.posenc.cli.report.ScreenshotTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** posenc report: bad folders are one-line errors; the real report is rendered and screenshotted. */
class ReportCommandTest {
    /** The README's main command on this build: every figure, every check passing, rendered offline by Chromium. */
    @Test
    void writesTheSelfContainedReport(@TempDir Path out) throws Exception {
        CliRun run = CliRun.of("report", "-o", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("18 of 18 checks pass"), run.out());
        String page = Files.readString(out.resolve("report.html"));
        assertTrue(ReportPage.countFigures(page) >= 8, "figures: " + ReportPage.countFigures(page));
        for (String example : ExampleConfigs.names()) {
            assertTrue(page.contains("<code>" + example + "</code>"), example);
        }
        assertTrue(!page.contains("class=\"fail\""), "a check failed or a config could not be read");
        ReportPageTest.assertSelfContained(page);
        ScreenshotTest.assertRendersOffline(out.resolve("report.html"), out.resolve("report.png"));
    }

    /** A lab output folder in the shape of docs/lab-json.md (made-up numbers): every experiment and plot shown. */
    @Test
    void showsTheLabsResults(@TempDir Path out) throws Exception {
        Path lab = Path.of(getClass().getResource("/lab-out/lab.json").toURI()).getParent();
        CliRun run = CliRun.of("report", "-o", out.toString(), "--lab", lab.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("lab results"), run.out());
        String page = Files.readString(out.resolve("report.html"));
        for (String experiment : new String[] {"ranking", "extrapolation", "learnable_theta", "linear_attention",
            "cnn_position", "overhead"}) {
            assertTrue(page.contains("<h3>" + experiment + "</h3>"), experiment);
        }
        assertTrue(page.contains("fig-lab-extrapolation") && page.contains("fig-lab-ranking-png"));
        assertTrue(page.contains("linear+rope"));
        ReportPageTest.assertSelfContained(page);
    }

    @Test
    void configsMustBeAFolder() {
        assertBadInput(CliRun.of("report", "--configs", "/no/such/folder"), "/no/such/folder: not a folder");
    }

    @Test
    void labFolderMustHoldTheLabsJson(@TempDir Path empty) {
        assertBadInput(CliRun.of("report", "--lab", empty.toString()), "no lab.json in it");
    }
}
