package dev.posenc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code posenc bench}: JMH benchmarks of the kernels, each reported next to a baseline measured in the same run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmark a kernel against a baseline measured in the same run.",
        subcommands = {BenchRopeCommand.class, BenchAttentionCommand.class, BenchShiftCommand.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
