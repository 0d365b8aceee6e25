package dev.posenc.lab;

import java.util.SplittableRandom;

/**
 * Deterministic batches of byte windows. Training batch {@code step} of a run with seed {@code seed} is a function of
 * {@code (seed, step)} alone, so a run resumed from a checkpoint at step {@code s} sees exactly the batches it would
 * have seen without the interruption. Validation windows are the first non-overlapping windows of the validation
 * text (the same for every encoding and seed).
 */
final class Batches {
    private Batches() {}

    /**
     * Training batch: {@code batch} windows of {@code seqLen + 1} bytes at random offsets, as token ids
     * ({@code long[batch * (seqLen + 1)]}, row-major).
     */
    static long[] trainBatch(byte[] text, int batch, int seqLen, long seed, int step) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        long[] ids = new long[batch * (seqLen + 1)];
        int span = text.length - seqLen - 1;
        for (int b = 0; b < batch; b++) {
            int offset = random.nextInt(span + 1);
            for (int t = 0; t <= seqLen; t++) {
                ids[b * (seqLen + 1) + t] = text[offset + t] & 0xFF;
            }
        }
        return ids;
    }

    /**
     * The number of non-overlapping validation windows of {@code seqLen + 1} bytes that cover at most
     * {@code tokens} targets (at least one).
     */
    static int validationWindows(byte[] text, int seqLen, int tokens) {
        int available = (text.length - 1) / seqLen;
        return Math.max(1, Math.min(available, tokens / seqLen));
    }

    /** Validation windows {@code [first, first + count)}, each of {@code seqLen + 1} bytes, as token ids. */
    static long[] validationBatch(byte[] text, int seqLen, int first, int count) {
        long[] ids = new long[count * (seqLen + 1)];
        for (int w = 0; w < count; w++) {
            int offset = (first + w) * seqLen;
            for (int t = 0; t <= seqLen; t++) {
                ids[w * (seqLen + 1) + t] = text[offset + t] & 0xFF;
            }
        }
        return ids;
    }
}
