package dev.posenc.lab;

/** Index matrices over a causal window of {@code T} positions, row-major {@code [query i][key j]}. */
public final class Positions {
    private Positions() {}

    public interface PairFunction {
        double at(int query, int key);
    }

    public interface PairIndex {
        long at(int query, int key);
    }

    public static float[] matrix(int seqLen, PairFunction f) {
        float[] m = new float[seqLen * seqLen];
        for (int i = 0; i < seqLen; i++) {
            for (int j = 0; j < seqLen; j++) {
                m[i * seqLen + j] = (float) f.at(i, j);
            }
        }
        return m;
    }

    public static long[] indexMatrix(int seqLen, PairIndex f) {
        long[] m = new long[seqLen * seqLen];
        for (int i = 0; i < seqLen; i++) {
            for (int j = 0; j < seqLen; j++) {
                m[i * seqLen + j] = f.at(i, j);
            }
        }
        return m;
    }
}
