package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, arXiv:1711.05101) with decoupled weight decay, one fused native update per tensor
 * (DJL's PyTorch {@code adamUpdate} with {@code adamw = true}): {@code p ← p − lr·wd·p},
 * {@code m ← β1·m + (1 − β1)·g}, {@code v ← β2·v + (1 − β2)·g²},
 * {@code p ← p − lr·√(1 − β2^t)/(1 − β1^t) · m/(√v + ε)}. This equals {@code torch.optim.AdamW} except that ε is
 * added to {@code √v} rather than to {@code √v/√(1 − β2^t)} (the MXNet placement DJL inherits; with ε = 1e-8 the
 * difference is far below float32 resolution once {@code v} is non-negligible). Weight decay applies to tensors of
 * rank ≥ 2 only (matrices and tables; not biases, gains or per-head scalars), as in the Python twin. Gradients are
 * first clipped to a global L2 norm of {@value #CLIP_NORM} ({@code torch.nn.utils.clip_grad_norm_}, as nanoGPT and
 * GPT-NeoX train), passed to the kernel as its {@code rescale_grad}.
 *
 * <p>The moments are tensors this object owns, so a checkpoint saves and restores them ({@link #moments()}).
 * Gradients are zeroed after each update. Not thread-safe.
 */
final class AdamW {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.95f;
    static final float EPSILON = 1e-8f;
    /** DJL's kernel clamps gradients at {@code clip} when {@code clip >= 0}; negative disables it. */
    private static final float NO_CLIPPING = -1f;
    /** Global gradient-norm clipping threshold. */
    static final float CLIP_NORM = 1.0f;
    private static final float CLIP_EPS = 1e-6f;

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

    /** One update with learning rate {@code lr}; {@code step} counts from 1. Call inside a step's scope. */
    void update(float lr, int step) {
        float corrected = (float) (lr * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step)));
        NDList gradients = new NDList(parameters.size());
        NDList norms = new NDList(parameters.size());
        for (NDArray p : parameters.values()) {
            NDArray g = p.getGradient();
            gradients.add(g);
            norms.add(g.norm());
        }
        float total = NDArrays.stack(norms).norm().getFloat();
        float rescale = Math.min(1f, CLIP_NORM / (total + CLIP_EPS));
        int i = 0;
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray p = e.getValue();
            float decay = p.getShape().dimension() >= 2 ? weightDecay : 0f;
            p.getNDArrayInternal().adamUpdate(
                    new NDList(p, gradients.get(i++), first.get(e.getKey()), second.get(e.getKey())),
                    new NDList(p), lr, corrected, decay, rescale, NO_CLIPPING, BETA1, BETA2, EPSILON, false, true);
            JniUtils.zeroGrad((PtNDArray) p);
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
