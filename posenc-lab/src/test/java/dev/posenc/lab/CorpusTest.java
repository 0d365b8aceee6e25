package dev.posenc.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path dir;

    @Test
    void missingFileIsAOneLineErrorNamingIt() {
        Path missing = dir.resolve("nope.txt");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpus.fromFile(missing));
        assertEquals(missing + ": no such corpus file", e.getMessage());
    }

    @Test
    void emptyFileIsAOneLineErrorNamingIt() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Corpus.fromFile(empty));
        assertEquals(empty + ": the corpus is empty", e.getMessage());
    }

    @Test
    void tooSmallForTheWindowsIsAnError() throws Exception {
        Path small = Files.writeString(dir.resolve("small.txt"), "a short line\n".repeat(20));
        Corpus corpus = Corpus.fromFile(small);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> corpus.requireWindow(512));
        assertTrue(e.getMessage().startsWith(small + ": the corpus is too small"), e.getMessage());
    }

    @Test
    void splitIsDeterministicAtALineBreakAndCoversEveryByte() {
        byte[] text = LabTestSupport.text();
        Corpus a = Corpus.split("x", text);
        Corpus b = Corpus.split("x", text.clone());
        assertEquals(a, b);
        assertEquals(text.length, a.train().length + a.validation().length);
        assertEquals('\n', a.train()[a.train().length - 1]);
        double share = (double) a.validation().length / text.length;
        assertTrue(share > 0.05 && share <= 0.10, "validation share " + share);
    }

    @Test
    void defaultCorpusIsEuroparlFromTheLuceneJar() {
        Corpus europarl = Corpus.europarl();
        assertTrue(europarl.train().length > 15_000_000, europarl.toString());
        assertTrue(europarl.validation().length > 1_000_000, europarl.toString());
    }

    @Test
    void trainingBatchesDependOnSeedAndStepOnly() {
        byte[] text = LabTestSupport.text();
        assertArrayEquals(Batches.trainBatch(text, 4, 16, 7, 3), Batches.trainBatch(text, 4, 16, 7, 3));
        assertTrue(!java.util.Arrays.equals(Batches.trainBatch(text, 4, 16, 7, 3), Batches.trainBatch(text, 4, 16, 7, 4)));
    }
}
