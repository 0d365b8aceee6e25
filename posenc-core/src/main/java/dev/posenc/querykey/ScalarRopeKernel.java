package dev.posenc.querykey;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * The reference kernel: one pair at a time, exactly the formula, at the columns {@link RopeLayout#firstColumn} and
 * {@link RopeLayout#secondColumn} give.
 */
final class ScalarRopeKernel extends RopeKernel {
    static final ScalarRopeKernel INSTANCE = new ScalarRopeKernel();

    private ScalarRopeKernel() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    void rotate(float[] x, int base, int heads, int headStride, RopeLayout layout, int pairs,
                float[] row, int rowOffset) {
        int rotaryDim = 2 * pairs;
        for (int h = 0; h < heads; h++) {
            int b = base + h * headStride;
            for (int i = 0; i < pairs; i++) {
                rotatePair(x, b + layout.firstColumn(i, rotaryDim), b + layout.secondColumn(i, rotaryDim),
                        row[rowOffset + i], row[rowOffset + pairs + i]);
            }
        }
    }

    @Override
    void rotate(MemorySegment x, long base, int heads, long headStride, RopeLayout layout, int pairs,
                float[] row, int rowOffset) {
        int rotaryDim = 2 * pairs;
        for (int h = 0; h < heads; h++) {
            long b = base + h * headStride;
            for (int i = 0; i < pairs; i++) {
                rotatePair(x, b + layout.firstColumn(i, rotaryDim), b + layout.secondColumn(i, rotaryDim),
                        row[rowOffset + i], row[rowOffset + pairs + i]);
            }
        }
    }

    @Override
    double recurrenceRow(double[] cos, double[] sin, double[] stepCos, double[] stepSin, boolean step,
                         double scaling, float[] row, int offset) {
        int pairs = cos.length;
        double margin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < pairs; i++) {
            double c = cos[i];
            double s = sin[i];
            if (step) {
                double nextCos = c * stepCos[i] - s * stepSin[i];
                double nextSin = s * stepCos[i] + c * stepSin[i];
                cos[i] = nextCos;
                sin[i] = nextSin;
                c = nextCos;
                s = nextSin;
            }
            double scaledCos = c * scaling;
            double scaledSin = s * scaling;
            float fc = (float) scaledCos;
            float fs = (float) scaledSin;
            row[offset + i] = fc;
            row[offset + pairs + i] = fs;
            margin = Math.min(margin, Math.min(ExactRowRecurrence.midpointDistance(scaledCos, fc),
                    ExactRowRecurrence.midpointDistance(scaledSin, fs)));
        }
        return margin;
    }

    /** {@code (x0, x1) <- (x0*cos - x1*sin, x1*cos + x0*sin)}. */
    static void rotatePair(float[] x, int i0, int i1, float cos, float sin) {
        float x0 = x[i0];
        float x1 = x[i1];
        x[i0] = x0 * cos - x1 * sin;
        x[i1] = x1 * cos + x0 * sin;
    }

    /** As {@link #rotatePair(float[], int, int, float, float)}, at float indices of a segment. */
    static void rotatePair(MemorySegment x, long i0, long i1, float cos, float sin) {
        float x0 = x.getAtIndex(JAVA_FLOAT, i0);
        float x1 = x.getAtIndex(JAVA_FLOAT, i1);
        x.setAtIndex(JAVA_FLOAT, i0, x0 * cos - x1 * sin);
        x.setAtIndex(JAVA_FLOAT, i1, x1 * cos + x0 * sin);
    }

    @Override
    void rotate(short[] x, int base, int heads, int headStride, RopeLayout layout, int pairs,
                HalfFloat format, HalfArithmetic arithmetic, float[] row, int rowOffset,
                HalfScratch scratch) {
        int rotaryDim = 2 * pairs;
        boolean eachOp = arithmetic == HalfArithmetic.HF_FORWARD;
        for (int h = 0; h < heads; h++) {
            int b = base + h * headStride;
            for (int i = 0; i < pairs; i++) {
                rotatePair(x, b + layout.firstColumn(i, rotaryDim), b + layout.secondColumn(i, rotaryDim),
                        row[rowOffset + i], row[rowOffset + pairs + i], format, eachOp);
            }
        }
    }

    @Override
    void rotate(MemorySegment x, long base, int heads, long headStride, RopeLayout layout, int pairs,
                HalfFloat format, HalfArithmetic arithmetic, float[] row, int rowOffset,
                HalfScratch scratch) {
        int rotaryDim = 2 * pairs;
        boolean eachOp = arithmetic == HalfArithmetic.HF_FORWARD;
        for (int h = 0; h < heads; h++) {
            long b = base + h * headStride;
            for (int i = 0; i < pairs; i++) {
                rotatePair(x, b + layout.firstColumn(i, rotaryDim), b + layout.secondColumn(i, rotaryDim),
                        row[rowOffset + i], row[rowOffset + pairs + i], format, eachOp);
            }
        }
    }

    /**
     * The pair at {@code x[i0], x[i1]} in {@code format}: {@code r(x0*cos - x1*sin)}, {@code r(x1*cos + x0*sin)}
     * ({@code eachOp} false), or {@code r(r(x0*cos) - r(x1*sin))}, {@code r(r(x1*cos) + r(x0*sin))} (true), where
     * {@code r} rounds to {@code format}.
     */
    static void rotatePair(short[] x, int i0, int i1, float cos, float sin, HalfFloat format, boolean eachOp) {
        float x0 = format.toFloat(x[i0]);
        float x1 = format.toFloat(x[i1]);
        x[i0] = format.fromFloat(first(x0, x1, cos, sin, format, eachOp));
        x[i1] = format.fromFloat(second(x0, x1, cos, sin, format, eachOp));
    }

    /** As {@link #rotatePair(short[], int, int, float, float, HalfFloat, boolean)}, at short indices of a segment. */
    static void rotatePair(MemorySegment x, long i0, long i1, float cos, float sin, HalfFloat format,
                           boolean eachOp) {
        float x0 = format.toFloat(x.getAtIndex(JAVA_SHORT, i0));
        float x1 = format.toFloat(x.getAtIndex(JAVA_SHORT, i1));
        x.setAtIndex(JAVA_SHORT, i0, format.fromFloat(first(x0, x1, cos, sin, format, eachOp)));
        x.setAtIndex(JAVA_SHORT, i1, format.fromFloat(second(x0, x1, cos, sin, format, eachOp)));
    }

    private static float first(float x0, float x1, float cos, float sin, HalfFloat format, boolean eachOp) {
        return eachOp ? format.round(x0 * cos) - format.round(x1 * sin) : x0 * cos - x1 * sin;
    }

    private static float second(float x0, float x1, float cos, float sin, HalfFloat format, boolean eachOp) {
        return eachOp ? format.round(x1 * cos) + format.round(x0 * sin) : x1 * cos + x0 * sin;
    }
}
