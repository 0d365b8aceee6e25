package dev.posenc.cli;

import dev.posenc.cli.plot.Figure;
import dev.posenc.cli.plot.PlotCatalog;
import dev.posenc.cli.verify.PosencBuild;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code posenc plot NAME}: draws one of the articles' pictures from this build, to SVG or PNG. */
@Command(
        name = "plot",
        mixinStandardHelpOptions = true,
        description = {"Draw one picture from this build to an SVG or PNG file (headless).",
            "Names: clock, relativity, decay, base-decay, scaling, bands, sinusoidal, wavelengths, t5-buckets, alibi."})
public final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The plot to draw (see above).")
    String name;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A Hugging Face config.json (for 'bands'; default: the bundled Llama 3.1 example).")
    Path config;

    @Option(names = "--svg", description = "Write SVG (the default, unless -o ends in .png).")
    boolean svg;

    @Option(names = "--png", description = "Write PNG.")
    boolean png;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Output file, ending in .svg or .png (default: NAME.svg or NAME.png).")
    Path output;

    @Override
    public Integer call() {
        PlotCatalog.Entry entry = PlotCatalog.byName(name).orElseThrow(() -> new UserInputException(
                "unknown plot '" + name + "'; expected one of " + String.join(", ", PlotCatalog.names())));
        if (svg && png) {
            throw new UserInputException("--svg and --png exclude each other");
        }
        if (config != null && !entry.takesConfig()) {
            throw new UserInputException("plot '" + name + "' takes no --config (only 'bands' does)");
        }
        if (config != null && !Files.isRegularFile(config)) {
            throw new UserInputException(config + ": no such file");
        }
        boolean asPng = png || (!svg && output != null && extension(output).equals(".png"));
        if (output != null && !extension(output).equals(asPng ? ".png" : ".svg")) {
            throw new UserInputException(output + ": expected a file name ending in " + (svg ? ".svg (--svg)"
                    : png ? ".png (--png)" : ".svg or .png") + ", got '" + extension(output) + "'");
        }
        Path target = output != null ? output : Path.of(name + (asPng ? ".png" : ".svg"));
        Figure figure = entry.drawer().draw(PosencBuild.create(), Optional.ofNullable(config));
        byte[] bytes = asPng ? figure.png(2.0) : svgDocument(figure).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        OutputFiles.write(target, bytes);
        spec.commandLine().getOut().println("wrote " + target);
        return 0;
    }

    /** The file name's extension, lower case with its dot ({@code ".svg"}), or "" when it has none. */
    private static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot).toLowerCase(java.util.Locale.ROOT);
    }

    static String svgDocument(Figure figure) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + figure.svg() + "\n";
    }
}
