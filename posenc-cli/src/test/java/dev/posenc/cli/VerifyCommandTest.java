package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.posenc.cli.verify.Build;
import dev.posenc.cli.verify.RotarySubject;
import dev.posenc.cli.verify.TextbookBuild;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The verify command's output shape and exit code, on the tests' textbook build and on a broken one. */
class VerifyCommandTest {
    record Run(int exitCode, String out) {}

    static Run run(Supplier<Build> build, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new VerifyCommand(build));
        cli.setOut(new PrintWriter(out, true));
        int code = cli.execute(args);
        return new Run(code, out.toString());
    }

    @Test
    void jsonHasOneObjectPerCheckAndTheArticleTables() throws Exception {
        Run run = run(TextbookBuild::new, "--json");
        assertEquals(0, run.exitCode(), run.out());
        JsonNode root = JsonOutput.mapper().readTree(run.out());
        JsonNode checks = root.get("checks");
        assertTrue(checks.size() >= 15, run.out());
        for (JsonNode c : checks) {
            for (String key : new String[] {"name", "claim", "measured", "threshold", "passed"}) {
                assertTrue(c.has(key), key + " missing in " + c);
            }
            assertTrue(c.get("measured").isNumber(), c.toString());
            assertTrue(c.get("passed").asBoolean(), c.toString());
        }
        assertEquals(2, root.get("tables").size());
    }

    @Test
    void aFailingCheckGivesExitCodeOne() {
        RotarySubject stretching = (f, x, m) -> {
            new TextbookBuild().rotaryKernel().rotate(f, x, m);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 1.01f;
            }
        };
        Supplier<Build> broken = () -> new TextbookBuild() {
            @Override
            public RotarySubject rotaryKernel() {
                return stretching;
            }
        };
        Run run = run(broken);
        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.out().contains("FAIL  rope-norm"), run.out());
        assertFalse(run.out().contains("FAIL  sinusoidal-linear"), run.out());
    }
}
