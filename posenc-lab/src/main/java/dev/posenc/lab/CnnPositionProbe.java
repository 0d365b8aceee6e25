package dev.posenc.lab;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;

/**
 * "How much position information do CNNs encode?" (Islam et al., arXiv:2001.08248) in one dimension: a stack of
 * dilated 1D convolutions (kernel 3, dilations 1, 2, 4, …, receptive field wider than the window) reads a window of
 * byte embeddings and predicts, for every token, its absolute position in the window (a {@code T}-way
 * classification). With zero padding the window's edges are visible, so position can be inferred; with circular
 * padding the network is exactly equivariant to cyclic shifts and has nothing to infer it from but the text
 * (chance is {@code 1/T}).
 */
final class CnnPositionProbe implements AutoCloseable {
    /** How the convolutions pad. */
    enum Padding { ZERO, CIRCULAR }

    private final NDManager manager;
    private final ParameterSet parameters;
    private final Padding padding;
    private final int seqLen;
    private final int[] dilations;
    private final Weights w;
    private final NDArray targets;

    /** The probe's parameters: byte embedding, one convolution per dilation, the per-position head. */
    private record Weights(NDArray embed, NDArray[] convWeights, NDArray[] convBiases, NDArray headWeight,
                           NDArray headBias) {
        static Weights create(ParameterSet parameters, int layers, int channels, int seqLen) {
            NDArray embed = parameters.normal("cnn.embed", 1.0, ModelConfig.VOCAB, channels);
            NDArray[] weights = new NDArray[layers];
            NDArray[] biases = new NDArray[layers];
            for (int l = 0; l < layers; l++) {
                weights[l] = parameters.normal("cnn.conv" + l + ".weight", Math.sqrt(2.0 / (3 * channels)), channels,
                        channels, 3);
                biases[l] = parameters.constant("cnn.conv" + l + ".bias", 0f, channels);
            }
            NDArray headWeight = parameters.normal("cnn.head.weight", Math.sqrt(1.0 / channels), seqLen, channels, 1);
            NDArray headBias = parameters.constant("cnn.head.bias", 0f, seqLen);
            return new Weights(embed, weights, biases, headWeight, headBias);
        }
    }

    CnnPositionProbe(NDManager parent, Padding padding, int seqLen, int channels, long seed) {
        this.manager = parent.newSubManager();
        this.padding = padding;
        this.seqLen = seqLen;
        int layers = 32 - Integer.numberOfLeadingZeros(seqLen - 1); // dilations up to ≥ T/2: every token sees an edge
        dilations = new int[layers];
        for (int l = 0; l < layers; l++) {
            dilations[l] = 1 << l;
        }
        ParameterSet.Built<Weights> built = ParameterSet.build(manager, seed,
                parameters -> Weights.create(parameters, layers, channels, seqLen));
        this.parameters = built.parameters();
        this.w = built.model();
        long[] positions = new long[seqLen];
        for (int i = 0; i < seqLen; i++) {
            positions[i] = i;
        }
        targets = OwnedTensors.longs(manager, positions, new Shape(1, seqLen));
        NDScope.unregister(targets);
    }

    int layers() {
        return dilations.length;
    }

    /** Position logits {@code [B, T, T]} for token ids {@code [B, T]}. */
    NDArray logits(NDArray tokens) {
        NDArray x = Embedding.embedding(tokens, w.embed(), SparseFormat.DENSE).singletonOrThrow().transpose(0, 2, 1);
        for (int l = 0; l < dilations.length; l++) {
            int d = dilations[l];
            NDArray padded = pad(x, d);
            NDArray y = Conv1d.conv1d(padded, w.convWeights()[l], w.convBiases()[l], new Shape(1), new Shape(0),
                    new Shape(d), 1).singletonOrThrow();
            x = l == 0 ? Activation.relu(y) : x.add(Activation.relu(y));
        }
        NDArray out = Conv1d.conv1d(x, w.headWeight(), w.headBias()).singletonOrThrow(); // [B, T_classes, T]
        return out.transpose(0, 2, 1);
    }

    private NDArray pad(NDArray x, int width) {
        long t = x.getShape().get(2);
        if (padding == Padding.CIRCULAR) {
            return x.get("..., " + (t - width) + ":").concat(x, -1).concat(x.get("..., :" + width), -1);
        }
        NDArray zeros = x.getManager().zeros(new Shape(x.getShape().get(0), x.getShape().get(1), width));
        return zeros.concat(x, -1).concat(zeros, -1);
    }

    NDArray loss(NDArray tokens) {
        NDArray logProbs = logits(tokens).logSoftmax(-1);
        NDArray expanded = targets.broadcast(tokens.getShape().get(0), seqLen).expandDims(-1);
        return logProbs.gather(expanded, -1).mean().neg();
    }

    /** Trains with Adam (no weight decay) on random training windows. */
    void train(Corpus corpus, int batch, int steps, float learningRate, long seed, TrainingRun.Listener listener) {
        Engine engine = manager.getEngine();
        AdamW optimizer = new AdamW(parameters, 0f);
        for (int step = 1; step <= steps; step++) {
            float loss;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                long[] ids = Batches.trainBatch(corpus.train(), batch, seqLen - 1, seed, step);
                NDArray tokens = OwnedTensors.longs(manager, ids, new Shape(batch, seqLen));
                try (GradientCollector collector = engine.newGradientCollector()) {
                    NDArray l = loss(tokens);
                    collector.backward(l);
                    loss = l.getFloat();
                }
                optimizer.update(learningRate, step);
            }
            if (listener != null) {
                listener.step(step, steps, loss);
            }
        }
    }

    /** Accuracy and mean absolute position error of the argmax on {@code windows} validation windows. */
    double[] evaluate(Corpus corpus, int windows) {
        int count = Math.min(windows, Batches.validationWindows(corpus.validation(), seqLen - 1, windows * seqLen));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            long[] ids = Batches.validationBatch(corpus.validation(), seqLen - 1, 0, count);
            NDArray predicted = logits(OwnedTensors.longs(manager, ids, new Shape(count, seqLen))).argMax(-1);
            long[] p = predicted.toLongArray();
            double correct = 0;
            double error = 0;
            for (int i = 0; i < p.length; i++) {
                int truth = i % seqLen;
                correct += p[i] == truth ? 1 : 0;
                error += Math.abs(p[i] - truth);
            }
            return new double[] {correct / p.length, error / p.length};
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
