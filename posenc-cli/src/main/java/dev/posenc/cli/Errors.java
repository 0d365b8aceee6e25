package dev.posenc.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions into the CLI's error contract: user errors are one line on stderr and exit code 2, never a
 * stack trace; anything else is an internal error (exit 1) whose stack trace is shown only with
 * {@code POSENC_DEBUG=1}.
 */
final class Errors {
    static final int BAD_INPUT = 2;
    static final int INTERNAL = 1;

    private Errors() {}

    static int onParameterException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("posenc: " + oneLine(e.getMessage()) + " (see '" + qualifiedName(cmd) + " --help')");
        return BAD_INPUT;
    }

    static int onExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        if (isUserError(e)) {
            cmd.getErr().println("posenc: " + oneLine(e.getMessage()));
            return BAD_INPUT;
        }
        cmd.getErr().println("posenc: internal error: " + oneLine(String.valueOf(e))
                + " (set POSENC_DEBUG=1 for the stack trace)");
        if ("1".equals(System.getenv("POSENC_DEBUG"))) {
            e.printStackTrace(new java.io.PrintWriter(cmd.getErr(), true));
        }
        return INTERNAL;
    }

    /** User errors: our own, and the core library's config and argument errors. */
    static boolean isUserError(Throwable e) {
        return e instanceof UserInputException
                || e instanceof IllegalArgumentException
                || e instanceof java.io.UncheckedIOException
                || e instanceof java.io.IOException;
    }

    static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    private static String qualifiedName(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName();
    }
}
