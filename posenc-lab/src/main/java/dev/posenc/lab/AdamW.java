package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, arXiv:1711.05101), as {@code torch.optim.AdamW} computes it: decoupled weight
 * decay {@code p ← p·(1 − lr·wd)}, then {@code m ← β1·m + (1 − β1)·g}, {@code v ← β2·v + (1 − β2)·g²},
 * {@code p ← p − lr/(1 − β1^t) · m / (√v/√(1 − β2^t) + ε)}. Weight decay applies to tensors of rank ≥ 2 only
 * (matrices and tables; not biases, gains, per-head scalars).
 *
 * <p>The moments are tensors this object owns, so a checkpoint can save and restore them ({@link #moments()}).
 * Gradients are zeroed after each update. Updates run outside any gradient recording, in place.
 */
final class AdamW {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.95f;
    static final float EPSILON = 1e-8f;

    private final Map<String, NDArray> parameters;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private final float weightDecay;

    AdamW(ParameterSet parameters, float weightDecay) {
        this.parameters = parameters.all();
        this.weightDecay = weightDecay;
        NDManager manager = parameters.manager();
        for (Map.Entry<String, NDArray> e : this.parameters.entrySet()) {
            first.put(e.getKey(), manager.zeros(e.getValue().getShape()));
            second.put(e.getKey(), manager.zeros(e.getValue().getShape()));
        }
    }

    /** One update with learning rate {@code lr}; {@code step} counts from 1. */
    void update(float lr, int step) {
        double bias1 = 1 - Math.pow(BETA1, step);
        double bias2 = Math.sqrt(1 - Math.pow(BETA2, step));
        float stepSize = (float) (lr / bias1);
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            NDArray g = p.getGradient();
            NDArray m = first.get(e.getKey());
            NDArray v = second.get(e.getKey());
            if (weightDecay != 0 && p.getShape().dimension() >= 2) {
                p.muli(1 - lr * weightDecay);
            }
            m.muli(BETA1).addi(g.mul(1 - BETA1));
            v.muli(BETA2).addi(g.square().muli(1 - BETA2));
            p.subi(m.div(v.sqrt().divi((float) bias2).addi(EPSILON)).muli(stepSize));
            g.subi(g);
        }
    }

    /** The first and second moments by parameter name, prefixed {@code m/} and {@code v/}. */
    Map<String, NDArray> moments() {
        Map<String, NDArray> all = new LinkedHashMap<>();
        first.forEach((k, a) -> all.put("m/" + k, a));
        second.forEach((k, a) -> all.put("v/" + k, a));
        return all;
    }
}
