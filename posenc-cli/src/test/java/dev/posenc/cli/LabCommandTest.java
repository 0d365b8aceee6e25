package dev.posenc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code posenc lab}'s bad-input contract: one line on stderr, exit code 2, nothing on stdout, nothing lost. */
class LabCommandTest {
    @TempDir
    Path dir;

    private static void assertBadInput(CliRun run, String expectedStart) {
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith(expectedStart), run.err());
    }

    @Test
    void missingCorpus() {
        Path missing = dir.resolve("missing.txt");
        assertBadInput(CliRun.of("lab", "--corpus", missing.toString(), "--out", dir.resolve("o").toString()),
                "posenc: " + missing + ": no such corpus file");
    }

    @Test
    void emptyCorpus() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        assertBadInput(CliRun.of("lab", "--corpus", empty.toString(), "--out", dir.resolve("o").toString()),
                "posenc: " + empty + ": the corpus is empty");
    }

    @Test
    void unknownEncoding() {
        assertBadInput(CliRun.of("lab", "--encodings", "nope,rotary", "--out", dir.resolve("o").toString()),
                "posenc: unknown encoding 'rotary'; expected one of nope, learned");
    }

    @Test
    void unknownPreset() {
        assertBadInput(CliRun.of("lab", "--preset", "huge"), "posenc: unknown preset 'huge'");
    }

    @Test
    void corruptCheckpointIsReportedAndKept() throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "the rotary position encoding of a token is relative\n".repeat(2000));
        Path runs = Files.createDirectories(dir.resolve("out").resolve("runs"));
        Path checkpoint = Files.write(runs.resolve("ranking-nope-s1.ckpt"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        CliRun run = CliRun.of("lab", "--corpus", corpus.toString(), "--out", dir.resolve("out").toString(),
                "--resume", "--encodings", "nope");
        assertBadInput(run, "posenc: " + checkpoint + ": corrupt checkpoint");
        assertTrue(Files.exists(checkpoint));
    }

    @Test
    void anEarlierRunIsNotOverwrittenWithoutResume() throws Exception {
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "the rotary position encoding of a token is relative\n".repeat(2000));
        Path runs = Files.createDirectories(dir.resolve("out").resolve("runs"));
        Path earlier = Files.writeString(runs.resolve("ranking-nope-s1.json"), "{}");
        assertBadInput(CliRun.of("lab", "--corpus", corpus.toString(), "--out", dir.resolve("out").toString()),
                "posenc: " + dir.resolve("out") + ": already holds lab runs; pass --resume");
        assertEquals("{}", Files.readString(earlier));
    }
}
