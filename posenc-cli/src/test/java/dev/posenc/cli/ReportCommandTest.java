package dev.posenc.cli;

import static dev.posenc.cli.PlotCommandTest.assertBadInput;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** posenc report: bad folders are one-line errors; the real report is rendered and screenshotted. */
class ReportCommandTest {
    @Test
    void configsMustBeAFolder() {
        assertBadInput(CliRun.of("report", "--configs", "/no/such/folder"), "/no/such/folder: not a folder");
    }

    @Test
    void labFolderMustHoldTheLabsJson(@TempDir Path empty) {
        assertBadInput(CliRun.of("report", "--lab", empty.toString()), "no lab.json in it");
    }
}
