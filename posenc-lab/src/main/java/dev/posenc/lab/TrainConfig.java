package dev.posenc.lab;

/**
 * How one model is trained.
 *
 * @param seqLen training window length {@code L}
 * @param batch windows per step
 * @param steps optimizer steps
 * @param learningRate peak learning rate (linear warm-up over {@code warmupSteps}, cosine decay to 10%)
 * @param warmupSteps warm-up steps
 * @param weightDecay AdamW decoupled weight decay on matrices
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 */
public record TrainConfig(int seqLen, int batch, int steps, float learningRate, int warmupSteps, float weightDecay,
                          int checkpointEvery) {
    public TrainConfig {
        if (seqLen < 2 || batch < 1 || steps < 1 || !(learningRate > 0) || warmupSteps < 0 || weightDecay < 0
                || checkpointEvery < 0) {
            throw new IllegalArgumentException("training: need seq_len >= 2, batch >= 1, steps >= 1, lr > 0, got "
                    + this);
        }
    }

    /** Learning rate at step {@code step} (1-based); {@link StrictMath}, so the same bits on every JVM. */
    float learningRate(int step) {
        if (step <= warmupSteps) {
            return learningRate * step / Math.max(1, warmupSteps);
        }
        double progress = (double) (step - warmupSteps) / Math.max(1, steps - warmupSteps);
        return (float) (learningRate * (0.1 + 0.9 * 0.5 * (1 + StrictMath.cos(Math.PI * Math.min(1, progress)))));
    }
}
