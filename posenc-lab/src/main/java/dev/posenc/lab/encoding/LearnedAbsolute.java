package dev.posenc.lab.encoding;

import ai.djl.ndarray.NDArray;
import dev.posenc.lab.ParameterSet;

/**
 * Learned absolute positions (GPT-2, BERT): {@code x_p + E[p]}, {@code E ∈ R^(L×d)} trained, N(0, 0.02²) init. The
 * table ends at the training length: longer windows are not supported (reported as such, never silently padded).
 */
final class LearnedAbsolute implements LabEncoding {
    private final NDArray table;
    private final int length;

    LearnedAbsolute(ParameterSet parameters, int length, int dModel) {
        this.length = length;
        this.table = parameters.normal("pos.learned", 0.02, length, dModel);
    }

    @Override
    public String name() {
        return "learned";
    }

    @Override
    public boolean supports(int seqLen) {
        return seqLen <= length;
    }

    @Override
    public NDArray input(NDArray x, int seqLen) {
        return x.add(seqLen == length ? table : table.get(":" + seqLen));
    }
}
