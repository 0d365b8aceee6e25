package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;
import dev.posenc.lab.Positions;

/** ALiBi (arXiv:2108.12409): logit bias {@code −m_h·(i − j)}, slopes from posenc-core (paper form). */
final class Alibi implements LabEncoding {
    private final ConstantCache constants;
    private final double[] slopes;

    Alibi(ParameterSet parameters, int heads) {
        this.constants = new ConstantCache(parameters.manager());
        this.slopes = CoreTables.alibiSlopes(heads);
    }

    @Override
    public String name() {
        return "alibi";
    }

    @Override
    public void prepare(int seqLen) {
        int h = slopes.length;
        constants.floats("bias", seqLen, new Shape(1, h, seqLen, seqLen), t -> {
            float[] bias = new float[h * t * t];
            for (int head = 0; head < h; head++) {
                double slope = slopes[head];
                float[] m = Positions.matrix(t, (i, j) -> -slope * (i - j));
                System.arraycopy(m, 0, bias, head * t * t, t * t);
            }
            return bias;
        });
    }

    @Override
    public NDArray logitBias(NDArray q, NDArray k, int layer, int seqLen) {
        return constants.get("bias", seqLen);
    }
}
