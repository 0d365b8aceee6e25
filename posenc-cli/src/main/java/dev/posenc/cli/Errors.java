package dev.posenc.cli;

import dev.posenc.config.ConfigException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The CLI's error contract: every failure is one line on stderr starting with {@code posenc: }, never a stack trace,
 * and a distinct exit code.
 *
 * <ul>
 *   <li>{@value #BAD_INPUT}, bad input: a config the core library rejects ({@link ConfigException}), a usage error
 *       the CLI detects itself ({@link UserInputException}), or one picocli's parser reports (unknown command or
 *       option, a value that is not a number, a missing option), in plain words;
 *   <li>{@value #CANNOT_WRITE}: an output could not be written ({@link OutputException}: a file, or standard output,
 *       e.g. a full disk); files are never left half-written;
 *   <li>{@value #INTERNAL}, an internal error: any other exception, including an {@link IllegalArgumentException}
 *       of the library that the CLI did not anticipate, is a bug: {@code posenc: internal error: ..., please
 *       report it}; the stack trace follows only when the environment variable {@code POSENC_DEBUG} is {@code 1}.
 * </ul>
 */
final class Errors {
    static final int BAD_INPUT = 2;
    static final int CANNOT_WRITE = 3;
    /** {@code EX_SOFTWARE} of BSD's sysexits.h. */
    static final int INTERNAL = 70;
    static final String DEBUG_VARIABLE = "POSENC_DEBUG";

    private Errors() {}

    static int onParameterException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("posenc: " + plainWords(e) + " (see '" + cmd.getCommandSpec().qualifiedName()
                + " --help')");
        return BAD_INPUT;
    }

    static int onExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        return report(e, cmd.getErr());
    }

    /** Reports {@code e} on {@code err} by the contract above and returns its exit code. */
    static int report(Throwable e, PrintWriter err) {
        if (e instanceof UserInputException || e instanceof ConfigException) {
            err.println("posenc: " + oneLine(e.getMessage()));
            return BAD_INPUT;
        }
        if (e instanceof OutputException) {
            err.println("posenc: " + oneLine(e.getMessage()));
            return CANNOT_WRITE;
        }
        if (e instanceof OutOfMemoryError) {
            err.println("posenc: out of memory (" + oneLine(e.getMessage()) + "); give the JVM more, e.g."
                    + " POSENC_JAVA_OPTS=-Xmx8g");
            return INTERNAL;
        }
        err.println("posenc: internal error: " + oneLine(String.valueOf(e)) + ", please report it"
                + (debug() ? "" : " (" + DEBUG_VARIABLE + "=1 shows the stack trace)"));
        if (debug()) {
            e.printStackTrace(err);
        }
        err.flush();
        return INTERNAL;
    }

    private static boolean debug() {
        return "1".equals(System.getenv(DEBUG_VARIABLE));
    }

    /** picocli's parse errors, reworded: the option or command named, what was expected. */
    static String plainWords(ParameterException e) {
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().getFirst();
            CommandLine cmd = u.getCommandLine();
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'";
            }
            if (!cmd.getSubcommands().isEmpty() && cmd.getParseResult().subcommand() == null
                    && !cmd.getParseResult().hasMatchedPositional(0)) {
                return "unknown command '" + first + "'; expected one of "
                        + String.join(", ", cmd.getSubcommands().keySet());
            }
            return "unexpected argument '" + first + "'";
        }
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()) {
            List<String> names = m.getMissing().stream().map(Errors::name).toList();
            return "missing " + String.join(", ", names);
        }
        ArgSpec arg = e.getArgSpec();
        String value = e.getValue();
        if (arg != null && value != null && e.getCause() instanceof CommandLine.TypeConversionException) {
            return name(arg) + ": '" + value + "' is not " + expected(arg.type());
        }
        return oneLine(e.getMessage());
    }

    private static String name(ArgSpec arg) {
        return switch (arg) {
            case OptionSpec o -> o.longestName();
            case PositionalParamSpec p -> p.paramLabel();
            default -> String.valueOf(arg);
        };
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }

    static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
