package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, arXiv:1711.05101) with decoupled weight decay, one fused native update per flat
 * parameter buffer ({@link ParameterSet.Group}; DJL's PyTorch {@code adamUpdate} with {@code adamw = true}):
 * {@code p ← p − lr·wd·p}, {@code m ← β1·m + (1 − β1)·g}, {@code v ← β2·v + (1 − β2)·g²},
 * {@code p ← p − lr·√(1 − β2^t)/(1 − β1^t) · m/(√v + ε)}. This equals {@code torch.optim.AdamW} except that ε is
 * added to {@code √v} rather than to {@code √v/√(1 − β2^t)} (the MXNet placement DJL inherits; with ε = 1e-8 the
 * difference is far below float32 resolution once {@code v} is non-negligible). The update is elementwise, so one
 * kernel over a flat buffer computes exactly what one kernel per tensor would. Weight decay applies to the buffer of
 * tensors of rank ≥ 2 only (matrices and tables, and per-head parameters shaped for broadcasting such as KERPLE's
 * {@code [1, H, 1, 1]}; not biases, gains or scalars), the rule the Python twin writes as {@code p.dim() >= 2}.
 * Gradients are first clipped to a global L2 norm of {@value #CLIP_NORM} ({@code torch.nn.utils.clip_grad_norm_}, as
 * nanoGPT and GPT-NeoX train), passed to the kernel as its {@code rescale_grad}.
 *
 * <p>The moments are flat tensors this object owns, with a view per parameter, so a checkpoint saves and restores
 * them by name ({@link #moments()}). Gradients are zeroed after each update. Not thread-safe.
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

    private final List<ParameterSet.Group> groups;
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();
    private final Map<String, NDArray> moments = new LinkedHashMap<>();
    private final float weightDecay;

    AdamW(ParameterSet parameters, float weightDecay) {
        this.groups = parameters.groups();
        this.weightDecay = weightDecay;
        NDManager manager = parameters.manager();
        for (ParameterSet.Group g : groups) {
            NDArray m = manager.zeros(g.values().getShape());
            NDArray v = manager.zeros(g.values().getShape());
            NDScope.unregister(m, v);
            first.add(m);
            second.add(v);
        }
        Map<NDArray, String> names = new IdentityHashMap<>();
        parameters.all().forEach((name, p) -> names.put(p, name));
        for (String prefix : new String[] {"m/", "v/"}) {
            for (int i = 0; i < groups.size(); i++) {
                NDArray flat = (prefix.equals("m/") ? first : second).get(i);
                long offset = 0;
                for (NDArray p : groups.get(i).members()) {
                    moments.put(prefix + names.get(p), ParameterSet.slice(flat, offset, p.getShape().getShape()));
                    offset += p.size();
                }
            }
        }
    }

    /** One update with learning rate {@code lr}; {@code step} counts from 1. Call inside a step's scope. */
    void update(float lr, int step) {
        float corrected = (float) (lr * StrictMath.sqrt(1 - StrictMath.pow(BETA2, step))
                / (1 - StrictMath.pow(BETA1, step)));
        NDList gradients = new NDList(groups.size());
        NDList norms = new NDList(groups.size());
        for (ParameterSet.Group g : groups) {
            NDList parts = new NDList(g.members().size());
            for (NDArray p : g.members()) {
                parts.add(p.getGradient().reshape(-1));
            }
            NDArray flat = NDArrays.concat(parts);
            gradients.add(flat);
            norms.add(flat.norm());
        }
        float total = NDArrays.stack(norms).norm().getFloat();
        float rescale = Math.min(1f, CLIP_NORM / (total + CLIP_EPS));
        for (int i = 0; i < groups.size(); i++) {
            ParameterSet.Group g = groups.get(i);
            NDArray p = g.values();
            p.getNDArrayInternal().adamUpdate(new NDList(p, gradients.get(i), first.get(i), second.get(i)),
                    new NDList(p), lr, corrected, g.matrices() ? weightDecay : 0f, rescale, NO_CLIPPING, BETA1,
                    BETA2, EPSILON, false, true);
            for (NDArray member : g.members()) {
                JniUtils.zeroGrad((PtNDArray) member);
            }
        }
    }

    /** The first and second moments by parameter name, prefixed {@code m/} and {@code v/} (views). */
    Map<String, NDArray> moments() {
        return Collections.unmodifiableMap(moments);
    }
}
