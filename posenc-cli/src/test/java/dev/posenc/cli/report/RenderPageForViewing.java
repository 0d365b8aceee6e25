package dev.posenc.cli.report;

import dev.posenc.cli.JsonOutput;
import dev.posenc.cli.verify.TextbookBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

class RenderPageForViewing {
    public static void main(String[] args) throws Exception {
        String page = ReportPageTest.render(new TextbookBuild(),
                Optional.of(new LabResults.Lab(JsonOutput.mapper().readTree(ReportPageTest.LAB).get("experiments"),
                        java.util.List.of())));
        Files.writeString(Path.of(args[0]), page);
    }
}
