package dev.posenc.lab;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * Validation perplexity: {@code exp} of the mean next-byte cross-entropy over non-overlapping windows of the
 * validation text, every position of every window counted (the ALiBi paper's "nonoverlapping" evaluation), about
 * {@code tokens} targets in all, whatever the window length.
 */
final class Evaluation {
    private static final int WINDOWS_PER_BATCH_TOKENS = 8192;

    private Evaluation() {}

    /** Perplexity of {@code model} on windows of {@code seqLen}; NaN if the encoding cannot encode that length. */
    static double perplexity(TinyLm model, NDManager manager, byte[] validation, int seqLen, int tokens) {
        if (!model.encoding().supports(seqLen)) {
            return Double.NaN;
        }
        model.prepare(seqLen);
        int windows = Batches.validationWindows(validation, seqLen, tokens);
        int perBatch = Math.max(1, WINDOWS_PER_BATCH_TOKENS / seqLen);
        double nll = 0;
        for (int first = 0; first < windows; first += perBatch) {
            int count = Math.min(perBatch, windows - first);
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray ids = model.ids(manager, Batches.validationBatch(validation, seqLen, first, count), count,
                        seqLen + 1);
                nll += model.loss(ids).getFloat() * (double) count;
            }
        }
        return Math.exp(nll / windows);
    }
}
