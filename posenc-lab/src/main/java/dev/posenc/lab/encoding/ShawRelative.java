package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;
import dev.posenc.lab.Positions;

/**
 * Shaw et al. (arXiv:1803.02155): learned relative vectors on keys and values, {@code e_ij = q_i·(k_j + a^K_ij)/√d},
 * {@code z_i = Σ α_ij (v_j + a^V_ij)}, {@code a_ij = w[clip(j − i, k) + k]} with clipping distance
 * {@code k = }{@value #MAX_RELATIVE}; tables per layer, shared by heads (indices from posenc-core).
 */
final class ShawRelative implements LabEncoding {
    static final int MAX_RELATIVE = 16;

    private final ConstantCache constants;
    private final NDArray[] keyTables;
    private final NDArray[] valueTables;
    private final int headDim;

    ShawRelative(ParameterSet parameters, int layers, int headDim) {
        this.headDim = headDim;
        this.constants = new ConstantCache(parameters.manager());
        keyTables = new NDArray[layers];
        valueTables = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            keyTables[l] = parameters.normal("pos.shaw" + l + ".key", 0.02, 2 * MAX_RELATIVE + 1, headDim);
            valueTables[l] = parameters.normal("pos.shaw" + l + ".value", 0.02, 2 * MAX_RELATIVE + 1, headDim);
        }
    }

    @Override
    public String name() {
        return "shaw";
    }

    @Override
    public void prepare(int seqLen) {
        constants.indices("index", seqLen, new Shape(seqLen, seqLen),
                t -> Positions.indexMatrix(t, (i, j) -> CoreTables.shawIndex(i, j, MAX_RELATIVE)));
    }

    @Override
    public NDArray logitBias(NDArray q, NDArray k, int layer, int seqLen) {
        NDArray perBucket = q.matMul(keyTables[layer].transpose()); // [B, H, T, 2k+1]
        Shape s = perBucket.getShape();
        NDArray index = constants.get("index", seqLen).broadcast(s.get(0), s.get(1), seqLen, seqLen);
        return perBucket.gather(index, -1).muli(constants.scalar((float) (1 / Math.sqrt(headDim))));
    }

    @Override
    public NDArray values(NDArray probabilities, int layer, int seqLen) {
        Shape s = probabilities.getShape(); // [B, H, T, T]
        long bh = s.get(0) * s.get(1);
        NDArray perPair = Embedding.embedding(constants.get("index", seqLen), valueTables[layer], SparseFormat.DENSE)
                .singletonOrThrow(); // [T_i, T_j, d]
        NDArray byQuery = probabilities.reshape(bh, seqLen, seqLen).transpose(1, 0, 2); // [T_i, BH, T_j]
        return byQuery.matMul(perPair).transpose(1, 0, 2).reshape(s.get(0), s.get(1), seqLen, headDim);
    }
}
