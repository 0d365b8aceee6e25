package dev.posenc.logits;

/**
 * The per-head slopes {@code m_h} of ALiBi (Press et al. 2022, arXiv:2108.12409, §3), by the three rules in use.
 * They agree for the default {@code alibi_bias_max = 8}; they differ in precision, and MPT's rule also in the
 * maximum.
 *
 * <ul>
 *   <li>{@link #paper}: the authors' {@code get_slopes} (ofirpress/attention_with_linear_biases), in double: for
 *       {@code n} a power of two {@code m_h = 2^(−8h/n)}, {@code h = 1..n}; otherwise, with {@code p} the largest
 *       power of two below {@code n}, the {@code p} slopes of {@code p} heads followed by every other slope of
 *       {@code 2p} heads ({@code h = 1, 3, 5, ...}) up to {@code n} in all. The 8 generalises to a maximum
 *       exponent {@code alibi_bias_max}.
 *   <li>{@link #bloom}: Hugging Face's {@code build_alibi_tensor} ({@code models/bloom/modeling_bloom.py}): the same
 *       rule computed in float32 as {@code base^k} with {@code base = 2^(−8/p)} rounded to float32.
 *   <li>{@link #falcon}: Hugging Face's Falcon {@code build_alibi_tensor} ({@code models/falcon/modeling_falcon.py}):
 *       BLOOM's slopes rounded to bfloat16 ({@code slopes.bfloat16()}). Falcon also adds the bias before its
 *       {@code 1/√head_dim} scale, so the slope acting on the logits is this value divided by {@code √head_dim}.
 *   <li>{@link #mpt}: Hugging Face's {@code gen_slopes} ({@code models/mpt/modeling_mpt.py}): with
 *       {@code P = 2^⌈log2 n⌉}, {@code m_k = 2^(−k·alibiBiasMax/P)}, {@code k = 1..P}, in float32; when
 *       {@code P ≠ n} the odd-indexed slopes then the even-indexed ones, truncated to {@code n}.
 * </ul>
 *
 * <p>Every rule takes {@code 1 <= numHeads <=} {@link #MAX_HEADS}.
 */
public final class AlibiSlopes {
    /** The maximum bias exponent implied by the paper's rule, and MPT's default {@code alibi_bias_max}. */
    public static final double DEFAULT_ALIBI_BIAS_MAX = 8.0;

    /**
     * The most heads: 65536, far above any published model (BLOOM-176B has 112, MPT-30B 56), and small enough that
     * MPT's padding to a power of two and every table of slopes stays a small array. Beyond it the slopes
     * {@code 2^(−8h/n)} of neighbouring heads differ by less than float32 resolves.
     */
    public static final int MAX_HEADS = 1 << 16;

    private AlibiSlopes() {}

    /** The paper's slopes for {@code numHeads} heads, in double precision. */
    public static double[] paper(int numHeads) {
        return paper(numHeads, DEFAULT_ALIBI_BIAS_MAX);
    }

    /**
     * The paper's rule with another maximum exponent: {@code 2^(−alibiBiasMax·h/n)} for powers of two, interleaved
     * the same way otherwise (the rule MPT's {@code gen_slopes} implements in float32), in double precision.
     */
    public static double[] paper(int numHeads, double alibiBiasMax) {
        requireHeads(numHeads);
        requireBiasMax(alibiBiasMax);
        int p = Integer.highestOneBit(numHeads);
        double[] slopes = new double[numHeads];
        for (int h = 1; h <= p; h++) {
            slopes[h - 1] = Math.pow(2.0, -alibiBiasMax * h / p);
        }
        for (int i = 0; i < numHeads - p; i++) {
            slopes[p + i] = Math.pow(2.0, -alibiBiasMax * (2 * i + 1) / (2.0 * p));
        }
        return slopes;
    }

    /** BLOOM's slopes ({@code build_alibi_tensor}), float32 values widened to double. */
    public static double[] bloom(int numHeads) {
        requireHeads(numHeads);
        int p = Integer.highestOneBit(numHeads);
        double[] slopes = new double[numHeads];
        float base = (float) Math.pow(2.0, -Math.pow(2.0, -(log2(p) - 3)));
        for (int k = 1; k <= p; k++) {
            slopes[k - 1] = (float) Math.pow(base, k);
        }
        if (p != numHeads) {
            float extraBase = (float) Math.pow(2.0, -Math.pow(2.0, -(log2(2 * p) - 3)));
            int remaining = Math.min(p, numHeads - p);
            for (int i = 0; i < remaining; i++) {
                slopes[p + i] = (float) Math.pow(extraBase, 2 * i + 1);
            }
        }
        return slopes;
    }

    /** Falcon's slopes: BLOOM's rounded to bfloat16 (round to nearest even), widened to double. */
    public static double[] falcon(int numHeads) {
        double[] slopes = bloom(numHeads);
        for (int h = 0; h < slopes.length; h++) {
            int bits = Float.floatToRawIntBits((float) slopes[h]);
            int rounded = (bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000;
            slopes[h] = Float.intBitsToFloat(rounded);
        }
        return slopes;
    }

    /** MPT's slopes ({@code gen_slopes}) for {@code alibi_bias_max}, float32 values widened to double. */
    public static double[] mpt(int numHeads, double alibiBiasMax) {
        requireHeads(numHeads);
        requireBiasMax(alibiBiasMax);
        int padded = numHeads == 1 ? 1 : Integer.highestOneBit(numHeads - 1) << 1;
        float step = (float) (alibiBiasMax / padded);
        float[] all = new float[padded];
        for (int k = 1; k <= padded; k++) {
            all[k - 1] = 1.0f / (float) Math.pow(2.0, (float) k * step);
        }
        double[] slopes = new double[numHeads];
        if (padded == numHeads) {
            for (int h = 0; h < numHeads; h++) {
                slopes[h] = all[h];
            }
            return slopes;
        }
        int h = 0;
        for (int k = 1; k < padded && h < numHeads; k += 2) {
            slopes[h++] = all[k];
        }
        for (int k = 0; k < padded && h < numHeads; k += 2) {
            slopes[h++] = all[k];
        }
        return slopes;
    }

    private static double log2(int powerOfTwo) {
        return Integer.numberOfTrailingZeros(powerOfTwo);
    }

    private static void requireBiasMax(double alibiBiasMax) {
        if (!(alibiBiasMax > 0) || Double.isInfinite(alibiBiasMax)) {
            throw new IllegalArgumentException("alibi_bias_max must be a finite number > 0, got " + alibiBiasMax);
        }
    }

    private static void requireHeads(int numHeads) {
        if (numHeads < 1 || numHeads > MAX_HEADS) {
            throw new IllegalArgumentException("the number of heads must be between 1 and " + MAX_HEADS + ", got "
                    + numHeads);
        }
    }
}
