package dev.posenc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code posenc absolute}: absolute position tables. */
@Command(
        name = "absolute",
        mixinStandardHelpOptions = true,
        description = "Absolute position encodings added to the token embeddings.",
        subcommands = {AbsoluteSinusoidalCommand.class})
public final class AbsoluteCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
