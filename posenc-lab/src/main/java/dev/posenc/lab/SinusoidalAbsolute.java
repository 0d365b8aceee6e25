package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Sinusoidal absolute positions (arXiv:1706.03762, interleaved sin/cos; table from posenc-core) added to the token
 * embedding, times a learned scalar {@code g} initialised to {@code d^−1/2} (x-transformers' scaled sinusoid), so
 * the fixed unit-amplitude table does not swamp 0.02-scale embeddings.
 */
final class SinusoidalAbsolute implements PositionalEncoding {
    private final ConstantCache constants;
    private final NDArray gain;
    private final int dModel;

    SinusoidalAbsolute(ParameterSet parameters, int dModel) {
        this.dModel = dModel;
        this.constants = new ConstantCache(parameters.manager());
        this.gain = parameters.constant("pos.sinusoidal.gain", (float) (1 / Math.sqrt(dModel)), 1);
    }

    @Override
    public String name() {
        return "sinusoidal";
    }

    @Override
    public void prepare(int seqLen) {
        constants.floats("table", seqLen, new Shape(seqLen, dModel), t -> CoreTables.sinusoidalInterleaved(t, dModel));
    }

    @Override
    public NDArray input(NDArray x, int seqLen) {
        return x.add(constants.get("table", seqLen).mul(gain));
    }
}
