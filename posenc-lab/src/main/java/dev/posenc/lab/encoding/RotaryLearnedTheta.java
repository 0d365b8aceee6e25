package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;

/**
 * RoPE with trainable frequencies: {@code θ_i} starts at posenc-core's default {@code 10000^(−2i/d)} and is a
 * parameter; angles {@code m·θ_i}, their cos and sin are computed inside the autograd graph every forward. At the
 * initial {@code θ} it equals {@link Rotary} (held by a test).
 */
public final class RotaryLearnedTheta implements LabEncoding {
    private final ConstantCache constants;
    private final NDArray theta;
    private final float[] initialTheta;

    RotaryLearnedTheta(ParameterSet parameters, int headDim) {
        this.constants = new ConstantCache(parameters.manager());
        this.initialTheta = CoreTables.ropeDefault(headDim, Rotary.THETA).invFreq();
        this.theta = parameters.add("pos.rope.theta", initialTheta, initialTheta.length);
    }

    @Override
    public String name() {
        return "rope-learned-theta";
    }

    float[] initialTheta() {
        return initialTheta.clone();
    }

    /** The trainable frequencies {@code θ_i}, {@code [headDim/2]}. */
    public NDArray theta() {
        return theta;
    }

    @Override
    public void prepare(int seqLen) {
        int headDim = 2 * initialTheta.length;
        constants.floats("rotateHalf", 0, new Shape(headDim, headDim), t -> Rotary.rotateHalfMatrix(headDim));
        constants.floats("positions", seqLen, new Shape(seqLen, 1), t -> {
            float[] p = new float[t];
            for (int i = 0; i < t; i++) {
                p[i] = i;
            }
            return p;
        });
        constants.floats("ones", seqLen, new Shape(seqLen, headDim), t -> filled(t * headDim, 1));
        constants.floats("zeros", seqLen, new Shape(seqLen, headDim), t -> filled(t * headDim, 0));
    }

    private static float[] filled(int n, float value) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, value);
        return a;
    }

    /** cos and sin {@code [T, headDim]} (half layout) of the current θ, in the graph. */
    NDList cosSin(int seqLen) {
        NDArray angles = constants.get("positions", seqLen).mul(theta.reshape(1, -1));
        NDArray both = angles.concat(angles, -1);
        return new NDList(both.cos(), both.sin());
    }

    /** {@link Rotary#rotateSlots} with this θ's tables for queries and keys (and 1, 0 for the values). */
    @Override
    public NDArray queryKey(NDArray qkv, int layer, int seqLen) {
        NDList cs = cosSin(seqLen);
        int headDim = 2 * initialTheta.length;
        Shape slots = new Shape(3, 1, 1, seqLen, headDim);
        NDArray cos = NDArrays.stack(new NDList(cs.get(0), cs.get(0), constants.get("ones", seqLen))).reshape(slots);
        NDArray sin = NDArrays.stack(new NDList(cs.get(1), cs.get(1), constants.get("zeros", seqLen))).reshape(slots);
        return Rotary.rotateSlots(qkv, constants.get("rotateHalf", 0), cos, sin);
    }
}
