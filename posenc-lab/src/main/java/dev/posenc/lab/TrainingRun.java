package dev.posenc.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.posenc.lab.encoding.Encodings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains one model: one encoding, one seed. Each step runs in its own {@link NDScope} (every temporary tensor is
 * freed at the end of the step); parameters, optimizer moments and constants live in the run's manager. With a
 * checkpoint path, the run saves every {@code checkpointEvery} steps and at the end, and resumes from an existing
 * checkpoint of the same run.
 *
 * <p>Not thread-safe; close it to free the model's native memory.
 */
final class TrainingRun implements AutoCloseable {
    /** Receives progress after every step. */
    interface Listener {
        void step(int step, int steps, float loss);
    }

    private final NDManager manager;
    private final TinyLm model;
    private final AdamW optimizer;
    private final TrainConfig train;
    private final Corpus corpus;
    private final long seed;
    private final String key;
    private int completed;

    TrainingRun(NDManager parent, Corpus corpus, ModelConfig model, TrainConfig train, String encoding, long seed) {
        this.manager = parent.newSubManager();
        this.corpus = corpus;
        this.train = train;
        this.seed = seed;
        this.key = encoding + "|" + model + "|" + train + "|seed=" + seed + "|" + corpus.name();
        ParameterSet.Built<TinyLm> built = ParameterSet.build(manager, seed,
                parameters -> new TinyLm(model, parameters, Encodings.create(encoding, parameters, model,
                        train.seqLen())));
        this.model = built.model();
        this.optimizer = new AdamW(built.parameters(), train.weightDecay());
        this.model.prepare(train.seqLen());
    }

    TinyLm model() {
        return model;
    }

    int completedSteps() {
        return completed;
    }

    /** Restores {@code checkpoint} if it exists; returns whether it did. */
    boolean resumeFrom(Path checkpoint) {
        if (!Files.exists(checkpoint)) {
            return false;
        }
        completed = Checkpoint.read(checkpoint, key, state());
        return true;
    }

    /** Trains up to {@code train.steps()} (from where it stands), checkpointing to {@code checkpoint} if non-null. */
    void train(Path checkpoint, Listener listener) {
        Engine engine = manager.getEngine();
        int b = train.batch();
        int t = train.seqLen();
        while (completed < train.steps()) {
            int step = completed + 1;
            float loss;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray ids = model.ids(manager, Batches.trainBatch(corpus.train(), b, t, seed, step), b, t + 1);
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray l = model.loss(ids);
                    collector.backward(l);
                    loss = l.getFloat();
                }
                optimizer.update(train.learningRate(step), step);
            }
            completed = step;
            if (checkpoint != null && (completed == train.steps()
                    || (train.checkpointEvery() > 0 && completed % train.checkpointEvery() == 0))) {
                Checkpoint.write(checkpoint, key, completed, state());
            }
            if (listener != null) {
                listener.step(completed, train.steps(), loss);
            }
        }
    }

    /** One training step without an update, for timing (forward, backward, optimizer). */
    void timedStep(int step) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray ids = model.ids(manager, Batches.trainBatch(corpus.train(), train.batch(), train.seqLen(), seed,
                    step), train.batch(), train.seqLen() + 1);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(model.loss(ids));
            }
            optimizer.update(train.learningRate(step), step);
        }
    }

    private Map<String, NDArray> state() {
        Map<String, NDArray> all = new LinkedHashMap<>(model.parameters().all());
        all.putAll(optimizer.moments());
        return all;
    }

    @Override
    public void close() {
        manager.close();
    }
}
