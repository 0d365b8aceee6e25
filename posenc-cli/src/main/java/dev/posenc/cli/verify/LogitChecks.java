package dev.posenc.cli.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** The articles' claims about encodings that act on the attention logits (T5 buckets, ALiBi). */
public final class LogitChecks {
    /** T5's defaults (HF {@code T5Config}): 32 buckets, max distance 128, bidirectional in the encoder. */
    public static final int T5_NUM_BUCKETS = 32;
    public static final int T5_MAX_DISTANCE = 128;
    static final double T5_MIN_GROWTH = 4;
    public static final int ALIBI_HEADS = 8;
    static final int ALIBI_QUERY = 512;
    /** ALiBi biases are float-exact multiples of the slope; a linear fit leaves only rounding. */
    static final double ALIBI_NONLINEARITY_MAX = 1e-6;

    private LogitChecks() {}

    /**
     * The distances that share each bucket, for relative positions {@code 0 .. maxDistance - 1} in order: T5
     * shares buckets more coarsely with distance (the notes after Su Jianlin: "0-7 exact, 8-11 share one, farther share wider").
     *
     * @return the width (number of distances) of each bucket met, in order of distance
     */
    public static List<Integer> bucketWidths(IntUnaryOperator bucket, int maxDistance) {
        List<Integer> widths = new ArrayList<>();
        int current = bucket.applyAsInt(0);
        int width = 0;
        for (int n = 0; n < maxDistance; n++) {
            int b = bucket.applyAsInt(n);
            if (b != current) {
                widths.add(width);
                current = b;
                width = 0;
            }
            width++;
        }
        widths.add(width);
        return widths;
    }

    /** {@code bucket} maps a relative position (key - query) to a bucket id, bidirectional. */
    public static CheckResult t5Coarser(IntUnaryOperator bucket) {
        List<Integer> widths = bucketWidths(bucket, T5_MAX_DISTANCE);
        boolean neverShrinks = true;
        for (int i = 1; i < widths.size(); i++) {
            neverShrinks &= widths.get(i) >= widths.get(i - 1);
        }
        double growth = neverShrinks
                ? (double) widths.getLast() / widths.getFirst()
                : 0;
        return new Threshold(">= " + Threshold.format(T5_MIN_GROWTH) + " and widths never shrink (0 if they do)",
                v -> v >= T5_MIN_GROWTH).judge("t5-buckets-coarser",
                "T5 shares buckets more coarsely with distance (" + T5_NUM_BUCKETS + " buckets, max distance "
                        + T5_MAX_DISTANCE + ", bidirectional): width of the last bucket before max distance / width of"
                        + " the first; widths " + widths,
                growth);
    }

    /**
     * ALiBi penalizes distance linearly per head: for each head, the bias of query {@value #ALIBI_QUERY} against keys
     * at distance {@code 0 .. ALIBI_QUERY} has zero second difference and a negative slope.
     */
    public static CheckResult alibiLinear(AlibiSubject bias, int heads) {
        double worst = 0;
        boolean penalizes = true;
        for (int h = 0; h < heads; h++) {
            double[] b = new double[ALIBI_QUERY + 1];
            double scale = 0;
            for (int d = 0; d <= ALIBI_QUERY; d++) {
                b[d] = bias.bias(h, ALIBI_QUERY, ALIBI_QUERY - d);
                scale = Math.max(scale, Math.abs(b[d]));
            }
            penalizes &= b[1] < b[0];
            for (int d = 1; d < ALIBI_QUERY; d++) {
                worst = Math.max(worst, Math.abs(b[d + 1] - 2 * b[d] + b[d - 1]) / scale);
            }
        }
        double measured = penalizes ? worst : Double.POSITIVE_INFINITY;
        return new Threshold("<= " + Threshold.format(ALIBI_NONLINEARITY_MAX)
                + " and every head's bias falls with distance (Infinity if not)", v -> v <= ALIBI_NONLINEARITY_MAX)
                .judge("alibi-linear",
                        "ALiBi penalizes distance linearly per head (" + heads + " heads): max |second difference"
                                + " of the bias over distance| / max |bias|",
                        measured);
    }

    /** The bias's slope per unit distance for each head: {@code bias(distance 1) - bias(distance 0)}. */
    public static double[] alibiSlopes(AlibiSubject bias, int heads) {
        double[] slopes = new double[heads];
        for (int h = 0; h < heads; h++) {
            slopes[h] = bias.bias(h, 1, 0) - bias.bias(h, 1, 1);
        }
        return slopes;
    }
}
