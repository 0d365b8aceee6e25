package dev.posenc.cli.verify;

import dev.posenc.querykey.RotaryFrequencies;

/** Where the two coordinates of rotary pair {@code i} sit in a head, per {@link dev.posenc.querykey.RopeLayout}'s definition. */
final class Pairs {
    private Pairs() {}

    static int first(RotaryFrequencies f, int pair) {
        return f.layout().firstColumn(pair, f.rotaryDim());
    }

    static int second(RotaryFrequencies f, int pair) {
        return f.layout().secondColumn(pair, f.rotaryDim());
    }

    /** A head whose every rotary pair is {@code (re[i], im[i])}; the pass-through tail is zero. */
    static float[] head(RotaryFrequencies f, double[] re, double[] im) {
        float[] x = new float[f.headDim()];
        for (int i = 0; i < f.pairs(); i++) {
            x[first(f, i)] = (float) re[i];
            x[second(f, i)] = (float) im[i];
        }
        return x;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
