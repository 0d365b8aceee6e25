package dev.posenc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code posenc bias}: the relative position biases of T5, DeBERTa and ALiBi. */
@Command(
        name = "bias",
        mixinStandardHelpOptions = true,
        description = "Relative position buckets (T5, DeBERTa) and ALiBi slopes, exactly as Hugging Face computes them.",
        subcommands = {BiasT5Command.class, BiasDebertaCommand.class, BiasAlibiCommand.class})
public final class BiasCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }
}
