package dev.posenc.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Entry point of {@code ./posenc}.
 *
 * <p>Exit codes: 0 success; 1 a check that did not pass ({@code verify}); {@value Errors#BAD_INPUT} bad input (a
 * malformed config, a bad flag); {@value Errors#CANNOT_WRITE} an output that could not be written (a file, or
 * standard output, e.g. {@code > /dev/full}); {@value Errors#INTERNAL} an internal error (a bug; the stack trace
 * with {@code POSENC_DEBUG=1}). Every error is one line on stderr (see {@link Errors}).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /**
     * Runs the command line; the streams receive whatever the command prints. Never calls {@code System.exit}.
     * A command that succeeded but whose output could not be written to {@code out} fails with
     * {@value Errors#CANNOT_WRITE}.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new PosencCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Errors::onParameterException);
        cli.setExecutionExceptionHandler(Errors::onExecutionException);
        int code;
        try {
            code = cli.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // Thrown past picocli's handler (it catches Exceptions only); still one line, no stack trace.
            code = Errors.report(e, err);
        }
        if (out.checkError()) {
            err.println("posenc: cannot write to standard output");
            code = code == 0 || code == 1 ? Errors.CANNOT_WRITE : code;
        }
        err.flush();
        return code;
    }
}
