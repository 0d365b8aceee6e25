package dev.posenc.bench;

import dev.posenc.querykey.CosSinOnTheFly;
import dev.posenc.querykey.HalfFloat;
import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryEmbedding;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.ArrayList;
import java.util.List;

/**
 * How far cached keys drift from a fresh rotation after many context shifts: keys rotated at
 * {@code t + shifts·|delta|}, shifted {@code shifts} times by {@code delta < 0} (a sliding window that keeps
 * discarding {@code |delta|} tokens), compared with the same keys rotated freshly at {@code t}.
 *
 * <p>Two ways of shifting, on float32, float16 and bfloat16 keys:
 * <ul>
 *   <li>posenc: {@link RotaryEmbedding#shiftKeys} (exact double angle of each shift, one rounding per element);
 *   <li>naive float composition, what llama.cpp's K-shift does as I understand ggml's CPU rope: the angle of the
 *       shift formed in float ({@code delta * inv_freq[i]}; ggml even forms {@code inv_freq} by a running float
 *       product), float cos/sin (here the correctly rounded float of the float angle, the best case), the pair
 *       rotated in float and stored in the cache's type after every shift.
 * </ul>
 * Errors are per element, relative to the length of its pair in the fresh rotation, reported as the maximum and the
 * root mean square, and in ulps of the storage type ({@code 2^-23}, {@code 2^-10}, {@code 2^-7} relative: one unit
 * in the last place of a value in [1, 2)).
 */
/*
 * Why both drift at half precision and for |delta| = 1: a rotation by an angle phi moves a pair by about
 * phi * |pair|; when that is below half an ulp of the stored values (phi below about 2^-9 in bfloat16, 2^-12 in
 * float16, 2^-25 in float32) rounding returns the old value, so a slow pair does not move at all, shift after
 * shift, however exactly the angle was computed. Only fewer roundings help: one shift by the accumulated delta.
 */
public final class ShiftDrift {
    private ShiftDrift() {}

    /** The shape measured. */
    public record Config(int headDim, double ropeTheta, int heads, int tokens, int shifts, int[] deltas) {}

    /**
     * One storage type and shift: {@code posencMax}/{@code posencRms} and {@code naiveMax}/{@code naiveRms} are
     * relative errors; {@code onceMax}/{@code onceRms} those of one posenc shift by the total
     * {@code shifts * delta} (what a cache that accumulates its shifts would do); {@code ulp} the relative size of
     * one ulp of the type.
     */
    public record Row(String dtype, int delta, double ulp, double posencMax, double posencRms, double naiveMax,
                      double naiveRms, double onceMax, double onceRms) {}

    public static List<Row> run(Config c) {
        RotaryFrequencies f = new RopeSpec(c.headDim(), c.headDim(), RopeLayout.HALF, c.ropeTheta(), 8192,
                new RopeScaling.Default()).frequencies();
        RotaryEmbedding rope = RotaryEmbedding.of(CosSinOnTheFly.of(f));
        HeadStrides strides = HeadStrides.tokenMajor(c.heads(), c.headDim());
        float[] keys = RopeBenchmark.random(11, c.tokens() * c.heads() * c.headDim());
        List<Row> rows = new ArrayList<>();
        for (int delta : c.deltas()) {
            if (delta >= 0) {
                throw new IllegalArgumentException("deltas must be negative (a window sliding forward), got " + delta);
            }
            int start = Math.multiplyExact(c.shifts(), -delta);
            for (HalfFloat format : new HalfFloat[] {null, HalfFloat.FLOAT16, HalfFloat.BFLOAT16}) {
                float[] fresh = stored(keys, format);
                float[] posenc = stored(keys, format);
                rotate(rope, RopePositions.startingAt(0), c.tokens(), fresh, strides, format);
                rotate(rope, RopePositions.startingAt(start), c.tokens(), posenc, strides, format);
                float[] naive = posenc.clone();
                float[] once = posenc.clone();
                short[] half = format == null ? null : narrow(posenc, format);
                if (format == null) {
                    rope.shiftKeys(-start, c.tokens(), once, strides);
                } else {
                    short[] onceHalf = narrow(once, format);
                    rope.shiftKeys(-start, c.tokens(), format, onceHalf, strides);
                    once = widen(onceHalf, format);
                }
                for (int s = 0; s < c.shifts(); s++) {
                    if (format == null) {
                        rope.shiftKeys(delta, c.tokens(), posenc, strides);
                    } else {
                        rope.shiftKeys(delta, c.tokens(), format, half, strides);
                    }
                    naiveShift(f, delta, naive, format);
                }
                if (format != null) {
                    posenc = widen(half, format);
                }
                double ulp = format == null ? 0x1p-23 : format == HalfFloat.FLOAT16 ? 0x1p-10 : 0x1p-7;
                double[] p = errors(f, fresh, posenc);
                double[] n = errors(f, fresh, naive);
                double[] o = errors(f, fresh, once);
                rows.add(new Row(format == null ? "float32" : format == HalfFloat.FLOAT16 ? "float16" : "bfloat16",
                        delta, ulp, p[0], p[1], n[0], n[1], o[0], o[1]));
            }
        }
        return rows;
    }

    private static void rotate(RotaryEmbedding rope, RopePositions positions, int tokens, float[] x,
                               HeadStrides strides, HalfFloat format) {
        if (format == null) {
            rope.applyToKeys(positions, tokens, x, strides);
            return;
        }
        short[] h = narrow(x, format);
        rope.applyToKeys(positions, tokens, format, h, strides);
        System.arraycopy(widen(h, format), 0, x, 0, x.length);
    }

    /** The naive shift of every pair of {@code x} (half layout, heads of {@code head_dim} back to back). */
    private static void naiveShift(RotaryFrequencies f, int delta, float[] x, HalfFloat format) {
        int pairs = f.pairs();
        float[] cos = new float[pairs];
        float[] sin = new float[pairs];
        for (int i = 0; i < pairs; i++) {
            float theta = delta * f.invFreq(i);
            cos[i] = (float) Math.cos(theta);
            sin[i] = (float) Math.sin(theta);
        }
        for (int b = 0; b < x.length; b += f.headDim()) {
            for (int i = 0; i < pairs; i++) {
                float x0 = x[b + i];
                float x1 = x[b + pairs + i];
                float y0 = x0 * cos[i] - x1 * sin[i];
                float y1 = x1 * cos[i] + x0 * sin[i];
                x[b + i] = format == null ? y0 : format.round(y0);
                x[b + pairs + i] = format == null ? y1 : format.round(y1);
            }
        }
    }

    /** {max, rms} of |actual - expected| per element over its expected pair's length. */
    private static double[] errors(RotaryFrequencies f, float[] expected, float[] actual) {
        int pairs = f.pairs();
        double max = 0;
        double sum = 0;
        long n = 0;
        for (int b = 0; b < expected.length; b += f.headDim()) {
            for (int i = 0; i < pairs; i++) {
                double length = Math.hypot(expected[b + i], expected[b + pairs + i]);
                for (int idx : new int[] {b + i, b + pairs + i}) {
                    double e = Math.abs((double) actual[idx] - expected[idx]) / length;
                    max = Math.max(max, e);
                    sum += e * e;
                    n++;
                }
            }
        }
        return new double[] {max, Math.sqrt(sum / n)};
    }

    private static float[] stored(float[] x, HalfFloat format) {
        return format == null ? x.clone() : widen(narrow(x, format), format);
    }

    private static short[] narrow(float[] x, HalfFloat format) {
        short[] h = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            h[i] = format.fromFloat(x[i]);
        }
        return h;
    }

    private static float[] widen(short[] h, HalfFloat format) {
        float[] x = new float[h.length];
        for (int i = 0; i < h.length; i++) {
            x[i] = format.toFloat(h[i]);
        }
        return x;
    }
}
