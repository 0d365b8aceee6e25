package dev.posenc.cli.verify;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RotaryFrequencies;

/**
 * Plain textbook encodings written in the tests only, so the checks' own logic can be tested (pass on a correct
 * subject, fail on a broken one) independently of the build. The build itself is checked by {@code PosencBuildTest}.
 */
final class Textbook {
    private Textbook() {}

    static RotaryFrequencies frequencies(int headDim, double base, RopeLayout layout) {
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = (float) (1 / Math.pow(base, 2.0 * i / headDim));
        }
        return new RotaryFrequencies(headDim, headDim, layout, inv, 1);
    }

    /** Rotates pair i by {@code angle(position, invFreq[i])}. */
    static RotarySubject kernel(java.util.function.BiFunction<Long, Float, Double> angle) {
        return (f, x, position) -> {
            for (int i = 0; i < f.pairs(); i++) {
                int a = Pairs.first(f, i);
                int b = Pairs.second(f, i);
                double t = angle.apply(position, f.invFreq(i));
                float c = (float) (Math.cos(t) * f.attentionScaling());
                float s = (float) (Math.sin(t) * f.attentionScaling());
                float xa = x[a];
                float xb = x[b];
                x[a] = xa * c - xb * s;
                x[b] = xa * s + xb * c;
            }
        };
    }

    static final RotarySubject ROPE = kernel((m, inv) -> m * (double) inv);

    static double[][] sinusoidal(int positions, int dModel) {
        double[][] pe = new double[positions][dModel];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < dModel / 2; i++) {
                double w = Math.pow(10000, -2.0 * i / dModel);
                pe[p][2 * i] = Math.sin(p * w);
                pe[p][2 * i + 1] = Math.cos(p * w);
            }
        }
        return pe;
    }

    /** HF T5 {@code _relative_position_bucket}, bidirectional. */
    static int t5Bucket(int relativePosition, int numBuckets, int maxDistance) {
        int nb = numBuckets / 2;
        int ret = relativePosition > 0 ? nb : 0;
        int n = Math.abs(relativePosition);
        int maxExact = nb / 2;
        if (n < maxExact) {
            return ret + n;
        }
        int large = maxExact + (int) (Math.log((double) n / maxExact) / Math.log((double) maxDistance / maxExact)
                * (nb - maxExact));
        return ret + Math.min(large, nb - 1);
    }

    static double alibi(int head, int heads, int i, int j) {
        double slope = Math.pow(2, -8.0 * (head + 1) / heads);
        return -slope * (i - j);
    }
}
