package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.posenc.lab.ConstantCache;
import dev.posenc.lab.ParameterSet;

/**
 * Sinusoidal absolute positions (arXiv:1706.03762, interleaved sin/cos; table from posenc-core) added to the token
 * embedding, times a learned scalar {@code g} (x-transformers' scaled sinusoid) initialised to
 * {@value #INITIAL_GAIN}: the table's RMS is {@code 1/√2}, so the scaled table starts at the RMS of the token
 * embeddings (std 0.02), as a learned table initialised like them would.
 */
final class SinusoidalAbsolute implements LabEncoding {
    /** {@code 0.02·√2}: the token embeddings' std over the table's RMS. */
    static final float INITIAL_GAIN = 0.028284271f;

    private final ConstantCache constants;
    private final NDArray gain;
    private final int dModel;

    SinusoidalAbsolute(ParameterSet parameters, int dModel) {
        this.dModel = dModel;
        this.constants = new ConstantCache(parameters.manager());
        this.gain = parameters.constant("pos.sinusoidal.gain", INITIAL_GAIN, 1);
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
