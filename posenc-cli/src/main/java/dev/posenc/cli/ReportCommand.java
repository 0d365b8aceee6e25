package dev.posenc.cli;

import dev.posenc.cli.plot.Figure;
import dev.posenc.cli.plot.PlotCatalog;
import dev.posenc.cli.report.ConfigSection;
import dev.posenc.cli.report.LabResults;
import dev.posenc.cli.report.ReportPage;
import dev.posenc.cli.verify.Build;
import dev.posenc.cli.verify.CheckResult;
import dev.posenc.cli.verify.PosencBuild;
import dev.posenc.cli.verify.ArticleClaims;
import dev.posenc.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code posenc report}: one self-contained HTML page with every plot, the verify table, an inspection of each
 * config in a folder, and the lab's results when a lab run left them.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {"Write DIR/report.html: every plot, the verify table, each config inspected, the lab's results.",
            "The page is self-contained (inline SVG and data: images, no script, no network request)."})
public final class ReportCommand implements Callable<Integer> {
    static final String PAGE = "report.html";
    static final String BUNDLED_EXAMPLES = "The bundled examples: small configs written for posenc from the models'"
            + " published values, keeping only the keys that decide positions (longrope-illustrative.json has made-up"
            + " factors, no published model's). Inspect your own with --configs DIR.";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Output folder (default: out).")
    Path outputDir = Path.of("out");

    @Option(names = "--configs", paramLabel = "DIR",
            description = "Folder of Hugging Face config.json files to inspect (default: the bundled examples).")
    Path configs;

    @Option(names = "--lab", paramLabel = "DIR",
            description = "The lab's --out folder, holding lab.json (default: lab-out, when it exists).")
    Path lab;

    @Override
    public Integer call() {
        if (configs != null && !Files.isDirectory(configs)) {
            throw new UserInputException(configs + ": not a folder (--configs expects a folder of config .json files)");
        }
        if (lab != null && !Files.isRegularFile(lab.resolve(LabResults.SUMMARY))) {
            throw new UserInputException(lab + ": no " + LabResults.SUMMARY + " in it (--lab expects the lab's"
                    + " output folder)");
        }
        Build build = PosencBuild.create();
        List<CheckResult> checks = ArticleClaims.check(build);
        List<Figure> figures = new ArrayList<>();
        for (PlotCatalog.Entry e : PlotCatalog.entries()) {
            figures.add(e.drawer().draw(build, Optional.empty()));
        }
        List<ConfigSection> sections = inspectAll(build, configs != null ? configs : ExampleConfigs.folder());
        Optional<LabResults.Lab> labResults = LabResults.load(lab != null ? lab : LabResults.DEFAULT_DIR);
        String source = configs != null ? "Every .json file of " + configs + "." : BUNDLED_EXAMPLES;
        String page = ReportPage.render(version(), checks, ArticleClaims.tables(build), figures, source, sections,
                labResults);
        Path target = outputDir.resolve(PAGE);
        OutputFiles.writeString(target, page);
        long passed = checks.stream().filter(CheckResult::passed).count();
        spec.commandLine().getOut().println("wrote " + target + " (" + ReportPage.countFigures(page) + " figures, "
                + passed + " of " + checks.size() + " checks pass, " + sections.size() + " configs"
                + (labResults.isPresent() ? ", lab results" : "") + ")");
        return 0;
    }

    /** Each {@code *.json} in {@code dir}, by name; a config that cannot be read gets its error in the report. */
    static List<ConfigSection> inspectAll(Build build, Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted(ReportCommand::byExampleOrder).toList();
        } catch (IOException e) {
            throw new UserInputException(dir + ": cannot list: " + e.getMessage(), e);
        }
        List<ConfigSection> sections = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            try {
                Map<String, Object> inspection = build.inspect(file);
                Optional<Figure> bands = Optional.empty();
                Object ropeType = inspection.get("rope_type");
                if ("rope".equals(inspection.get("kind")) && ropeType != null && !"default".equals(ropeType)) {
                    bands = Optional.of(dev.posenc.cli.plot.PlotCatalog.byName("bands").orElseThrow().drawer()
                            .draw(build, Optional.of(file)).named("bands-" + name.replaceFirst("\\.json$", "")));
                }
                sections.add(new ConfigSection(name, inspection, "", bands));
            } catch (ConfigException | UserInputException e) {
                sections.add(new ConfigSection(name, Map.of(), Errors.oneLine(e.getMessage()), Optional.empty()));
            }
        }
        return sections;
    }

    private static int byExampleOrder(Path a, Path b) {
        List<String> order = ExampleConfigs.names();
        int ia = order.indexOf(a.getFileName().toString());
        int ib = order.indexOf(b.getFileName().toString());
        if (ia >= 0 && ib >= 0) {
            return Integer.compare(ia, ib);
        }
        if (ia >= 0 || ib >= 0) {
            return ia >= 0 ? -1 : 1;
        }
        return a.getFileName().toString().compareTo(b.getFileName().toString());
    }

    private static String version() {
        return "posenc " + VersionProvider.version() + " on Java " + Runtime.version();
    }
}
