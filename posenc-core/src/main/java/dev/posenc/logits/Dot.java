package dev.posenc.logits;

/** Dot products of rows of the row-major matrices the logit terms work on. */
final class Dot {
    private Dot() {}

    /** {@code Σ_c a[ao + c] · b[bo + c]}, accumulated in double. */
    static double of(float[] a, int ao, float[] b, int bo, int n) {
        double sum = 0;
        for (int c = 0; c < n; c++) {
            sum += (double) a[ao + c] * b[bo + c];
        }
        return sum;
    }

    /** The same accumulated in float, for the streaming path. */
    static float ofFloat(float[] a, int ao, float[] b, int bo, int n) {
        float sum = 0;
        for (int c = 0; c < n; c++) {
            sum = Math.fma(a[ao + c], b[bo + c], sum);
        }
        return sum;
    }
}
