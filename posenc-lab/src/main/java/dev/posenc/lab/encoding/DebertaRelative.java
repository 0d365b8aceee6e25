package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;
import dev.posenc.lab.Positions;

/**
 * DeBERTa disentangled attention (arXiv:2006.03654; HF DeBERTa-v2 {@code disentangled_attention_bias}):
 * {@code Ã_ij = (q_i·k_j + q_i·Kr[δ_ij] + k_j·Qr[δ_ij]) / √(3d)}, {@code δ_ij = clamp(bucket(i − j) + s, 0, 2s−1)}
 * with posenc-core's log buckets ({@value #POSITION_BUCKETS} buckets, max {@value #MAX_RELATIVE_POSITIONS}),
 * {@code P ∈ R^(2s×D)} shared by layers, {@code Kr = P·W_kr}, {@code Qr = P·W_qr} per layer (c2p and p2c).
 */
final class DebertaRelative implements LabEncoding {
    static final int POSITION_BUCKETS = 32;
    static final int MAX_RELATIVE_POSITIONS = 128;

    private final ConstantCache constants;
    private final NDArray embeddings;
    private final NDArray[] keyProjections;
    private final NDArray[] queryProjections;
    private final int heads;
    private final int headDim;

    DebertaRelative(ParameterSet parameters, int layers, int dModel, int heads) {
        this.heads = heads;
        this.headDim = dModel / heads;
        this.constants = new ConstantCache(parameters.manager());
        this.embeddings = parameters.normal("pos.deberta.rel_embeddings", 0.02, 2 * POSITION_BUCKETS, dModel);
        keyProjections = new NDArray[layers];
        queryProjections = new NDArray[layers];
        for (int l = 0; l < layers; l++) {
            keyProjections[l] = parameters.normal("pos.deberta" + l + ".pos_key_proj", 0.02, dModel, dModel);
            queryProjections[l] = parameters.normal("pos.deberta" + l + ".pos_query_proj", 0.02, dModel, dModel);
        }
    }

    @Override
    public String name() {
        return "deberta";
    }

    @Override
    public float logitScale(int headDim) {
        return (float) (1 / Math.sqrt(3.0 * headDim));
    }

    @Override
    public void prepare(int seqLen) {
        constants.indices("c2p", seqLen, new Shape(seqLen, seqLen), t -> Positions.indexMatrix(t, (i, j) ->
                CoreTables.debertaIndex(i, j, POSITION_BUCKETS, MAX_RELATIVE_POSITIONS)));
        constants.indices("p2c", seqLen, new Shape(seqLen, seqLen), t -> Positions.indexMatrix(t, (j, i) ->
                CoreTables.debertaIndex(i, j, POSITION_BUCKETS, MAX_RELATIVE_POSITIONS)));
    }

    @Override
    public NDArray logitBias(NDArray q, NDArray k, int layer, int seqLen) {
        long span = 2L * POSITION_BUCKETS;
        NDArray kr = embeddings.matMul(keyProjections[layer].transpose()).reshape(span, heads, headDim)
                .transpose(1, 2, 0); // [H, d, 2s]
        NDArray qr = embeddings.matMul(queryProjections[layer].transpose()).reshape(span, heads, headDim)
                .transpose(1, 2, 0);
        NDArray c2pAll = q.matMul(kr); // [B, H, T_i, 2s]
        NDArray p2cAll = k.matMul(qr); // [B, H, T_j, 2s]
        Shape s = c2pAll.getShape();
        NDArray c2p = c2pAll.gather(constants.get("c2p", seqLen).broadcast(s.get(0), s.get(1), seqLen, seqLen), -1);
        NDArray p2c = p2cAll.gather(constants.get("p2c", seqLen).broadcast(s.get(0), s.get(1), seqLen, seqLen), -1)
                .transpose(0, 1, 3, 2);
        return c2p.add(p2c).muli(constants.scalar(logitScale(headDim)));
    }
}
