package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;
import dev.posenc.lab.Positions;

/**
 * Transformer-XL relative attention (arXiv:1901.02860, eq. in §3.3):
 * {@code A_ij = q_i·k_j + u·k_j + (q_i + v)·W_R R_{i−j}}, with {@code R} the concatenated sinusoid of the distance
 * (table from posenc-core), {@code W_R} per layer, {@code u, v} per head shared by layers ({@code r_w_bias},
 * {@code r_r_bias}). The bias is the last two terms times {@code 1/√d}; the distance gather replaces the
 * rel-shift trick (the same numbers, tested in posenc-core).
 */
final class TransformerXlRelative implements LabEncoding {
    private final ConstantCache constants;
    private final NDArray contentBias;
    private final NDArray positionBias;
    private final NDArray[] projections;
    private final int dModel;
    private final int heads;
    private final int headDim;

    TransformerXlRelative(ParameterSet parameters, int layers, int dModel, int heads) {
        this.dModel = dModel;
        this.heads = heads;
        this.headDim = dModel / heads;
        this.constants = new ConstantCache(parameters.manager());
        this.contentBias = parameters.constant("pos.txl.u", 0f, 1, heads, 1, headDim);
        this.positionBias = parameters.constant("pos.txl.v", 0f, 1, heads, 1, headDim);
        projections = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            projections[l] = parameters.normal("pos.txl" + l + ".r_proj", 0.02, dModel, dModel);
        }
    }

    @Override
    public String name() {
        return "transformer-xl";
    }

    @Override
    public void prepare(int seqLen) {
        constants.floats("R", seqLen, new Shape(seqLen, dModel),
                t -> CoreTables.sinusoidalConcatenated(t, dModel));
        constants.indices("distance", seqLen, new Shape(seqLen, seqLen),
                t -> Positions.indexMatrix(t, (i, j) -> Math.max(i - j, 0)));
    }

    @Override
    public NDArray logitBias(NDArray q, NDArray k, int layer, int seqLen) {
        NDArray r = constants.get("R", seqLen).matMul(projections[layer].transpose())
                .reshape(seqLen, heads, headDim).transpose(1, 2, 0); // [H, d, T_r]
        NDArray byDistance = q.add(positionBias).matMul(r); // [B, H, T, T_r]
        Shape s = byDistance.getShape();
        NDArray index = constants.get("distance", seqLen).broadcast(s.get(0), s.get(1), seqLen, seqLen);
        NDArray positional = byDistance.gather(index, -1);
        NDArray content = contentBias.matMul(k.transpose(0, 1, 3, 2)); // [B, H, 1, T]
        return positional.add(content).muli(constants.scalar((float) (1 / Math.sqrt(headDim))));
    }
}
