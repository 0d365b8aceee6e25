package dev.posenc.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/** Wall-clock milliseconds per training step (forward, backward, AdamW), after warm-up steps. */
final class StepTimer {
    private StepTimer() {}

    static double millisPerStep(Engine engine, Corpus corpus, ModelConfig model, TrainConfig train, String encoding,
                                int warmup, int steps) {
        try (NDManager manager = LabEngine.newManager(engine);
             TrainingRun run = new TrainingRun(manager, corpus, model, train, encoding, 0)) {
            for (int s = 1; s <= warmup; s++) {
                run.timedStep(s);
            }
            long start = System.nanoTime();
            for (int s = warmup + 1; s <= warmup + steps; s++) {
                run.timedStep(s);
            }
            return (System.nanoTime() - start) / 1e6 / steps;
        }
    }
}
