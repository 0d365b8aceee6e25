package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;
import dev.posenc.lab.Positions;

/**
 * T5 relative bias (arXiv:1910.10683): a learned scalar per head and bucket, {@code b_h[bucket(j − i)]}, buckets
 * from posenc-core (causal, {@value #NUM_BUCKETS} buckets, max distance {@value #MAX_DISTANCE}); one table shared by
 * all layers, as T5 computes it in layer 0 and reuses it. Added after scaling.
 */
final class T5Bias implements LabEncoding {
    static final int NUM_BUCKETS = 32;
    static final int MAX_DISTANCE = 128;

    private final ConstantCache constants;
    private final NDArray table;
    private final int heads;

    T5Bias(ParameterSet parameters, int heads) {
        this.heads = heads;
        this.constants = new ConstantCache(parameters.manager());
        this.table = parameters.normal("pos.t5.table", 0.02, NUM_BUCKETS, heads);
    }

    @Override
    public String name() {
        return "t5";
    }

    @Override
    public void prepare(int seqLen) {
        constants.indices("buckets", seqLen, new Shape((long) seqLen * seqLen), t -> Positions.indexMatrix(t,
                (i, j) -> CoreTables.t5Bucket(i, j, false, NUM_BUCKETS, MAX_DISTANCE)));
    }

    @Override
    public NDArray logitBias(NDArray q, NDArray k, int layer, int seqLen) {
        NDArray perPair = Embedding.embedding(constants.get("buckets", seqLen), table, SparseFormat.DENSE)
                .singletonOrThrow();
        return perPair.transpose(1, 0).reshape(1, heads, seqLen, seqLen);
    }
}
