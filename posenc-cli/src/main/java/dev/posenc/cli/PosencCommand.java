package dev.posenc.cli;

import dev.posenc.cli.explore.ExploreCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code posenc} command; each capability is a subcommand. */
@Command(
        name = "posenc",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Positional encodings for Transformers: inspect, verify, plot, benchmark, report.",
        subcommands = {BenchCommand.class, InspectCommand.class, BiasCommand.class, AbsoluteCommand.class,
            VerifyCommand.class, PlotCommand.class, ReportCommand.class, LabCommand.class, ExploreCommand.class})
public final class PosencCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
