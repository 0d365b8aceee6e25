package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;
import dev.posenc.lab.Positions;

/**
 * KERPLE, logarithmic variant (arXiv:2205.09921, eq. 11): logit bias {@code −r1·ln(1 + r2·|i − j|)} with
 * {@code r1, r2 > 0} learned per head and layer, initialised {@code r1 ~ U(0, 2)}, {@code r2 ~ U(0, 1)} and clamped
 * at {@value #MIN_PARAMETER} as the GPT-NeoX KERPLE fork does. Computed in the autograd graph; held equal to
 * posenc-core's reference at the same {@code r1, r2} by a test.
 */
final class KerpleLog implements LabEncoding {
    static final float MIN_PARAMETER = 0.01f;

    private final ConstantCache constants;
    private final NDArray[] r1;
    private final NDArray[] r2;
    private final int heads;

    KerpleLog(ParameterSet parameters, int layers, int heads) {
        this.heads = heads;
        this.constants = new ConstantCache(parameters.manager());
        r1 = new NDArray[layers];
        r2 = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            r1[l] = parameters.uniform("pos.kerple" + l + ".r1", 0, 2, 1, heads, 1, 1);
            r2[l] = parameters.uniform("pos.kerple" + l + ".r2", 0, 1, 1, heads, 1, 1);
        }
    }

    @Override
    public String name() {
        return "kerple";
    }

    @Override
    public void prepare(int seqLen) {
        constants.floats("distance", seqLen, new Shape(seqLen, seqLen),
                t -> Positions.matrix(t, (i, j) -> Math.abs(i - j)));
    }

    @Override
    public NDArray logitBias(NDArray q, NDArray k, int layer, int seqLen) {
        NDArray a = r1[layer].clip(MIN_PARAMETER, Float.MAX_VALUE);
        NDArray b = r2[layer].clip(MIN_PARAMETER, Float.MAX_VALUE);
        return constants.get("distance", seqLen).mul(b).add(1).log().mul(a).neg();
    }

    NDArray r1(int layer) {
        return r1[layer];
    }

    NDArray r2(int layer) {
        return r2[layer];
    }

    int heads() {
        return heads;
    }
}
