package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size limits hold in a 256 MiB heap (what {@code POSENC_JAVA_OPTS=-Xmx256m ./posenc ...} gives): the largest
 * accepted requests succeed and absurd ones are one line and exit 2, never an OutOfMemoryError's stack trace.
 * Each case runs {@link Main} in its own JVM.
 */
class SmallHeapTest {
    private static final String HEAP = "-Xmx256m";

    record Run(int exitCode, String err) {}

    private static Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), HEAP, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), err);
    }

    private static void assertOneLineExitTwo(Run r) {
        assertEquals(2, r.exitCode(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("posenc: "), r.err());
    }

    @Test
    void absurdSizesAreOneLineInASmallHeap(@TempDir Path dir) throws Exception {
        assertOneLineExitTwo(run("bias", "alibi", "--heads", "1000000000", "--json"));
        assertOneLineExitTwo(run("absolute", "sinusoidal", "--dim", "2", "--positions", "2147483647", "--json"));
        Path huge = dir.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        Run r = run("inspect", huge.toString());
        assertOneLineExitTwo(r);
        assertTrue(r.err().contains("at most 4194304 bytes"), r.err());
    }

    /** The largest inputs accepted: a 4 MiB config of two million numbers, a full sinusoidal table, 65536 slopes. */
    @Test
    void theLargestAcceptedInputsFitASmallHeap(@TempDir Path dir) throws Exception {
        String head = "{\"model_type\": \"bloom\", \"n_head\": 4, \"x\": [";
        int values = ((4 << 20) - head.length() - 2) / 2;
        Path numbers = Files.writeString(dir.resolve("numbers.json"), head + "0,".repeat(values - 1) + "0]}");
        assertTrue(Files.size(numbers) <= 4 << 20 && Files.size(numbers) > (4 << 20) - 4, "size " + Files.size(numbers));
        Run config = run("inspect", numbers.toString());
        assertEquals(0, config.exitCode(), config.err());
        Run table = run("absolute", "sinusoidal", "--dim", "2", "--positions", "500000", "--json");
        assertEquals(0, table.exitCode(), table.err());
        Run slopes = run("bias", "alibi", "--heads", "65536", "--style", "mpt", "--json");
        assertEquals(0, slopes.exitCode(), slopes.err());
        assertFalse(config.err().contains("Exception") || table.err().contains("Exception"), config.err() + table.err());
    }
}
