package dev.posenc.cli.report;

import dev.posenc.cli.JsonOutput;
import dev.posenc.cli.verify.TextbookBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

class RenderPageForViewing {
    public static void main(String[] args) throws Exception {
        String page = ReportPageTest.render(new TextbookBuild(),
                Optional.of(JsonOutput.mapper().readTree(ReportPageTest.LAB).get("experiments")));
        Files.writeString(Path.of(args[0]), page);
    }
}
