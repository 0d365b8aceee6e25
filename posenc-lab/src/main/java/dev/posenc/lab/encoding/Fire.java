package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;
import dev.posenc.lab.Positions;

/**
 * FIRE (arXiv:2310.04418, eq. 5–6): logit bias {@code f_θ(ψ(i − j) / ψ(max(L, i)))}, {@code ψ(x) = ln(|c·x| + 1)},
 * {@code c} learned (init 0.1), threshold {@code L = |ℓ·}{@value #THRESHOLD_BASE}{@code |} with {@code ℓ} learned
 * (init 1), {@code f_θ} an MLP 1→{@value #HIDDEN} ReLU→H; per layer. Computed in the autograd graph; held equal to
 * posenc-core's reference at the same parameters by a test.
 */
final class Fire implements LabEncoding {
    static final int HIDDEN = 32;
    static final float THRESHOLD_BASE = 512;

    private final ConstantCache constants;
    final NDArray[] c;
    final NDArray[] threshold;
    final NDArray[] w1;
    final NDArray[] b1;
    final NDArray[] w2;
    final NDArray[] b2;
    private final int heads;

    Fire(ParameterSet parameters, int layers, int heads) {
        this.heads = heads;
        this.constants = new ConstantCache(parameters.manager());
        c = new NDArray[layers];
        threshold = new NDArray[layers];
        w1 = new NDArray[layers];
        b1 = new NDArray[layers];
        w2 = new NDArray[layers];
        b2 = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            String p = "pos.fire" + l + ".";
            c[l] = parameters.constant(p + "c", 0.1f, 1);
            threshold[l] = parameters.constant(p + "L_multiplier", 1f, 1);
            w1[l] = parameters.normal(p + "mlp.w1", 1.0, 1, HIDDEN);
            b1[l] = parameters.constant(p + "mlp.b1", 0f, HIDDEN);
            w2[l] = parameters.normal(p + "mlp.w2", 1 / Math.sqrt(HIDDEN), HIDDEN, heads);
            b2[l] = parameters.constant(p + "mlp.b2", 0f, heads);
        }
    }

    @Override
    public String name() {
        return "fire";
    }

    @Override
    public void prepare(int seqLen) {
        constants.floats("distance", seqLen, new Shape(seqLen, seqLen, 1),
                t -> Positions.matrix(t, (i, j) -> i - j));
        constants.floats("query", seqLen, new Shape(seqLen, 1, 1), t -> {
            float[] p = new float[t];
            for (int i = 0; i < t; i++) {
                p[i] = i;
            }
            return p;
        });
    }

    /** The normalised distance {@code ψ(i − j)/ψ(max(L, i))}, {@code [T, T, 1]}, in the graph. */
    NDArray normalisedDistance(int layer, int seqLen) {
        NDArray psiDistance = constants.get("distance", seqLen).mul(c[layer]).abs().add(1).log();
        NDArray limit = threshold[layer].mul(constants.scalar(THRESHOLD_BASE)).abs();
        NDArray psiNorm = constants.get("query", seqLen).maximum(limit).mul(c[layer]).abs().add(1).log();
        return psiDistance.div(psiNorm.add(1e-6f));
    }

    @Override
    public NDArray logitBias(NDArray q, NDArray k, int layer, int seqLen) {
        NDArray hidden = Activation.relu(normalisedDistance(layer, seqLen).matMul(w1[layer]).add(b1[layer]));
        NDArray bias = hidden.matMul(w2[layer]).add(b2[layer]); // [T, T, H]
        return bias.transpose(2, 0, 1).reshape(1, heads, seqLen, seqLen);
    }
}
