package dev.posenc.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.posenc.lab.encoding.Encodings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: an interrupted run resumes bit for bit; a corrupt checkpoint is a clear error. */
class TrainingRunTest {
    private static final ModelConfig MODEL = new ModelConfig(16, 1, 2, ModelConfig.Attention.SOFTMAX);
    private static final TrainConfig TRAIN = new TrainConfig(16, 2, 4, 1e-2f, 1, 0.1f, 2);

    @TempDir
    Path dir;

    private static final class Interrupted extends RuntimeException {}

    private static Map<String, float[]> snapshot(TrainingRun run) {
        Map<String, float[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : run.model().parameters().all().entrySet()) {
            m.put(e.getKey(), e.getValue().toFloatArray());
        }
        return m;
    }

    @Test
    void interruptedRunResumesBitForBit() {
        Corpus corpus = LabTestSupport.corpus();
        try (NDManager root = LabEngine.newManager(LabTestSupport.engine())) {
            Map<String, float[]> straight;
            try (TrainingRun run = new TrainingRun(root, corpus, MODEL, TRAIN, "rope-learned-theta", 5)) {
                run.train(dir.resolve("a.ckpt"), null);
                straight = snapshot(run);
            }
            Path ckpt = dir.resolve("b.ckpt");
            try (TrainingRun run = new TrainingRun(root, corpus, MODEL, TRAIN, "rope-learned-theta", 5)) {
                assertThrows(Interrupted.class, () -> run.train(ckpt, (step, steps, loss) -> {
                    if (step == 3) {
                        throw new Interrupted();
                    }
                }));
            }
            Map<String, float[]> resumed;
            try (TrainingRun run = new TrainingRun(root, corpus, MODEL, TRAIN, "rope-learned-theta", 5)) {
                assertTrue(run.resumeFrom(ckpt));
                assertTrue(run.completedSteps() == 2, "checkpoint at step 2, got " + run.completedSteps());
                run.train(ckpt, null);
                resumed = snapshot(run);
            }
            for (String name : straight.keySet()) {
                assertArrayEquals(straight.get(name), resumed.get(name), name);
            }
        }
    }

    @Test
    void corruptCheckpointIsAOneLineErrorAndIsKept() throws Exception {
        Corpus corpus = LabTestSupport.corpus();
        Path ckpt = dir.resolve("c.ckpt");
        try (NDManager root = LabEngine.newManager(LabTestSupport.engine());
             TrainingRun run = new TrainingRun(root, corpus, MODEL, TRAIN, "alibi", 1)) {
            run.train(ckpt, null);
            byte[] bytes = Files.readAllBytes(ckpt);
            bytes[bytes.length / 2] ^= 0x55;
            Files.write(ckpt, bytes);
            try (TrainingRun again = new TrainingRun(root, corpus, MODEL, TRAIN, "alibi", 1)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> again.resumeFrom(ckpt));
                assertTrue(e.getMessage().contains("corrupt checkpoint"), e.getMessage());
                assertTrue(!e.getMessage().contains("\n"), e.getMessage());
            }
            assertTrue(Files.exists(ckpt), "a corrupt checkpoint is left for the user to inspect");
        }
    }

    @Test
    void checkpointOfAnotherRunIsRefused() {
        Corpus corpus = LabTestSupport.corpus();
        Path ckpt = dir.resolve("d.ckpt");
        try (NDManager root = LabEngine.newManager(LabTestSupport.engine())) {
            try (TrainingRun run = new TrainingRun(root, corpus, MODEL, TRAIN, "alibi", 1)) {
                run.train(ckpt, null);
            }
            try (TrainingRun other = new TrainingRun(root, corpus, MODEL, TRAIN, "alibi", 2)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.resumeFrom(ckpt));
                assertTrue(e.getMessage().contains("different run"), e.getMessage());
            }
        }
    }

    @Test
    void unknownEncodingListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encodings.require("rotary"));
        assertTrue(e.getMessage().startsWith("unknown encoding 'rotary'; expected one of nope, learned"),
                e.getMessage());
    }
}
