package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The error contract of {@link Errors}: bad input exit code 2, an output that cannot be written 3, an internal error
 * 70; always one line on stderr, nothing on stdout.
 */
class ErrorContractTest {
    @Test
    void unknownOptionIsOneLineAndExitTwo() {
        CliRun run = CliRun.of("--no-such-option");
        assertEquals(2, run.exitCode());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("posenc: "), run.err());
    }

    @Test
    void missingSubcommandIsOneLineAndExitTwo() {
        CliRun run = CliRun.of();
        assertEquals(2, run.exitCode());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            frobnicate                              | unknown command 'frobnicate'; expected one of bench, inspect, bias, absolute, verify, plot, report, lab, explore (see 'posenc --help')
            inspect x.json --seq-len abc            | --seq-len: 'abc' is not an integer (see 'posenc inspect --help')
            bias alibi --heads 2.5                  | --heads: '2.5' is not an integer (see 'posenc bias alibi --help')
            bias alibi                              | missing --heads (see 'posenc bias alibi --help')
            absolute sinusoidal --dim 8 --positions 4 --base x | --base: 'x' is not a number (see 'posenc absolute sinusoidal --help')
            inspect x.json --frob                   | unknown option '--frob' (see 'posenc inspect --help')
            bias frob                               | unknown command 'frob'; expected one of t5, deberta, alibi (see 'posenc bias --help')
            inspect a.json b.json                   | unexpected argument 'b.json' (see 'posenc inspect --help')
            """)
    void parserErrorsInPlainWords(String args, String expected) {
        CliRun run = CliRun.of(args.split(" "));
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals("posenc: " + expected, run.err().strip());
    }

    @Test
    void anUnexpectedLibraryExceptionIsAnInternalError() {
        StringWriter err = new StringWriter();
        int code = Errors.report(new IllegalArgumentException("rotaryDim must be even"), new PrintWriter(err, true));
        assertEquals(Errors.INTERNAL, code);
        assertEquals("posenc: internal error: java.lang.IllegalArgumentException: rotaryDim must be even, please"
                + " report it (POSENC_DEBUG=1 shows the stack trace)", err.toString().strip());
    }

    @Test
    void standardOutputThatCannotBeWrittenFailsTheRun() {
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"bias", "alibi", "--heads", "4"}, new PrintWriter(full, true),
                new PrintWriter(err, true));
        assertEquals(Errors.CANNOT_WRITE, code);
        assertEquals("posenc: cannot write to standard output", err.toString().strip());
    }

    @Test
    void aFileThatCannotBeWrittenNamesTheUsersFileNotTheTemporaryOne(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("taken.svg").resolve("inside"));
        CliRun onFolder = CliRun.of("plot", "clock", "-o", folder.getParent().toString());
        assertEquals(Errors.CANNOT_WRITE, onFolder.exitCode());
        assertEquals("posenc: " + folder.getParent() + ": cannot write: it is a folder", onFolder.err().strip());
        Path file = Files.writeString(dir.resolve("plain"), "");
        CliRun underFile = CliRun.of("plot", "clock", "-o", file.resolve("x.svg").toString());
        assertEquals(Errors.CANNOT_WRITE, underFile.exitCode());
        assertEquals("posenc: " + file.resolve("x.svg") + ": cannot write: " + file + " is not a folder",
                underFile.err().strip());
        assertFalse(underFile.err().contains(".tmp"), underFile.err());
    }

    @Test
    void versionComesFromTheBuild() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().matches("(?s)posenc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R.*"), run.out());
    }
}
