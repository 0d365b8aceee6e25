package dev.posenc.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Entry point of {@code ./posenc}.
 *
 * <p>Exit codes: 0 success, 1 a check that did not pass (e.g. {@code verify}) or an internal error, 2 bad input
 * (a malformed config, a bad flag). Bad input is reported as one line on stderr, with nothing on stdout.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Runs the command line; the streams receive whatever the command prints. Never calls {@code System.exit}. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new PosencCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Errors::onParameterException);
        cli.setExecutionExceptionHandler(Errors::onExecutionException);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
