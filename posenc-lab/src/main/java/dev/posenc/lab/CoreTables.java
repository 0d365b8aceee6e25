package dev.posenc.lab;

import dev.posenc.querykey.RopeLayout;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.OptionalDouble;

/**
 * The one place the lab takes tables, indices, slopes and frequencies from: each method names the posenc-core API
 * it stands for. The lab never computes these itself elsewhere; encodings whose math must live inside the autograd
 * graph (learnable θ, KERPLE, FIRE, FLOATER) are held equal to the reference here by tests.
 *
 * <p><b>Integration status.</b> RoPE frequencies of every rope type come from posenc-core ({@link RopeSpec}).
 * The cos/sin tables, the in-place kernel and xPos (branch rope-kernels) and the family's tables, indices and slopes
 * (branch family) are being built in parallel: methods marked <i>interim</i> compute the published formula directly,
 * following the same references as core (pe-methods.md §2), until that API lands on main; then their bodies become a
 * call into core and nothing else in the lab changes. Thread-safe (stateless).
 */
final class CoreTables {
    private CoreTables() {}

    /**
     * RoPE frequencies of a model trained at {@code trainLength} with rope type {@code scaling}, as Hugging Face
     * computes them for a forward pass over {@code seqLen} positions: posenc-core's {@link RopeSpec#frequencies(long)}
     * (HF v5 {@code modeling_rope_utils}), half ("NeoX") layout, the whole head rotated.
     */
    static RotaryFrequencies rope(int headDim, double theta, int trainLength, RopeScaling scaling, int seqLen) {
        return new RopeSpec(headDim, headDim, RopeLayout.HALF, theta, trainLength, scaling).frequencies(seqLen);
    }

    /** Default RoPE, {@code inv_freq[i] = θ^(−2i/d)} (HF {@code _compute_default_rope_parameters}). */
    static RotaryFrequencies ropeDefault(int headDim, double theta) {
        // max_position_embeddings does not enter default RoPE.
        return rope(headDim, theta, 1, new RopeScaling.Default(), 0);
    }

    /** Linear / position interpolation (arXiv:2306.15595): {@code inv_freq / factor}. */
    static RotaryFrequencies ropeLinear(int headDim, double theta, double factor) {
        return rope(headDim, theta, 1, new RopeScaling.Linear(factor), 0);
    }

    /** NTK-aware static scaling: {@code θ' = θ·s^(d/(d−2))}. */
    static RotaryFrequencies ropeNtk(int headDim, double theta, double factor) {
        return rope(headDim, theta, 1, new RopeScaling.Ntk(factor), 0);
    }

    /**
     * HF dynamic NTK for a forward pass over {@code seqLen} positions of a model trained at {@code trainLength}:
     * {@code θ' = θ·(s·ℓ/L − (s−1))^(d/(d−2))} when {@code ℓ > L}, else unscaled.
     */
    static RotaryFrequencies ropeDynamic(int headDim, double theta, double factor, int trainLength, int seqLen) {
        return rope(headDim, theta, trainLength, new RopeScaling.Dynamic(factor), seqLen);
    }

    /**
     * YaRN (arXiv:2309.00071) with HF's defaults (beta_fast 32, beta_slow 1, truncate, attention factor
     * {@code 0.1·ln(s) + 1}) for a model trained at {@code trainLength}.
     */
    static RotaryFrequencies ropeYarn(int headDim, double theta, double factor, int trainLength) {
        return rope(headDim, theta, (int) Math.round(factor * trainLength),
                new RopeScaling.Yarn(factor, trainLength, 32, 1, true, OptionalDouble.empty(), 0, 0), 0);
    }

    /**
     * cos and sin of {@code position·inv_freq[i]} (angle in double), times {@code attention_scaling}, for positions
     * {@code [0, seqLen)}, laid out for the half layout: row {@code p} is {@code [c_0..c_{d/2−1}, c_0..c_{d/2−1}]}.
     * Returns {@code {cos, sin}} flattened {@code [seqLen × headDim]}. Interim for rope-kernels' {@code CosSinCache}.
     */
    static float[][] ropeCosSin(RotaryFrequencies frequencies, int seqLen) {
        int d = frequencies.rotaryDim();
        int half = d / 2;
        float[] cos = new float[seqLen * d];
        float[] sin = new float[seqLen * d];
        for (int p = 0; p < seqLen; p++) {
            for (int i = 0; i < half; i++) {
                double angle = (double) p * frequencies.invFreq(i);
                float c = (float) (Math.cos(angle) * frequencies.attentionScaling());
                float s = (float) (Math.sin(angle) * frequencies.attentionScaling());
                cos[p * d + i] = c;
                cos[p * d + half + i] = c;
                sin[p * d + i] = s;
                sin[p * d + half + i] = s;
            }
        }
        return new float[][] {cos, sin};
    }

    /**
     * xPos per-pair base {@code ζ_i = (2i/d + 0.4)/1.4} (arXiv:2212.10554; rotary-embedding-torch). Query at
     * position {@code n} is scaled by {@code ζ^((n − center)/B)}, key by its inverse. Interim for rope-kernels'
     * {@code XPos}.
     */
    static double xposZeta(int rotaryDim, int pair) {
        return (2.0 * pair / rotaryDim + 0.4) / 1.4;
    }

    /**
     * ALiBi slopes (arXiv:2108.12409, paper form incl. head counts that are not powers of two): for {@code n = 2^a}
     * {@code m_h = 2^(−8h/n)}; else the {@code p = 2^⌊log2 n⌋} slopes then every other one of {@code 2p}'s.
     * Interim for family's {@code AlibiSlopes.paper}.
     */
    static double[] alibiSlopes(int heads) {
        int p = Integer.highestOneBit(heads);
        double[] slopes = new double[heads];
        for (int h = 0; h < p; h++) {
            slopes[h] = Math.pow(2, -8.0 * (h + 1) / p);
        }
        for (int h = p, k = 0; h < heads; h++, k += 2) {
            slopes[h] = Math.pow(2, -8.0 * (k + 1) / (2 * p));
        }
        return slopes;
    }

    /**
     * T5 relative bucket of {@code relative = key − query} (HF {@code T5Attention._relative_position_bucket}).
     * Interim for family's {@code T5Buckets.bucket}.
     */
    static int t5Bucket(int relative, boolean bidirectional, int numBuckets, int maxDistance) {
        int ret = 0;
        int n;
        int buckets = numBuckets;
        if (bidirectional) {
            buckets /= 2;
            ret += relative > 0 ? buckets : 0;
            n = Math.abs(relative);
        } else {
            n = Math.max(-relative, 0);
        }
        int maxExact = buckets / 2;
        if (n < maxExact) {
            return ret + n;
        }
        int large = maxExact + (int) (Math.log((float) n / maxExact) / Math.log((double) maxDistance / maxExact)
                * (buckets - maxExact));
        return ret + Math.min(large, buckets - 1);
    }

    /**
     * DeBERTa-v2 {@code make_log_bucket_position} of {@code relative = query − key}: exact within
     * {@code ±bucketSize/2}, log-spaced beyond. Interim for family's {@code DebertaBuckets.bucket}.
     */
    static int debertaBucket(int relative, int bucketSize, int maxPosition) {
        int mid = bucketSize / 2;
        int abs = Math.abs(relative);
        if (relative < mid && relative > -mid) {
            return relative;
        }
        int logPos = (int) Math.ceil(Math.log((double) abs / mid) / Math.log((maxPosition - 1.0) / mid) * (mid - 1))
                + mid;
        return abs <= mid ? relative : Integer.signum(relative) * logPos;
    }

    /** Shaw et al. (arXiv:1803.02155) index {@code clip(j − i, −k, k) + k} into a {@code 2k+1} table. Interim. */
    static int shawIndex(int query, int key, int maxRelative) {
        return Math.max(-maxRelative, Math.min(maxRelative, key - query)) + maxRelative;
    }

    /**
     * Vaswani sinusoidal table (arXiv:1706.03762, interleaved): {@code PE[p, 2i] = sin(p/10000^(2i/d))},
     * {@code PE[p, 2i+1] = cos(·)}; {@code [positions × dim]} flattened. Interim for family's input sinusoidal.
     */
    static float[] sinusoidalInterleaved(int positions, int dim) {
        float[] table = new float[positions * dim];
        for (int p = 0; p < positions; p++) {
            for (int i = 0; i < dim / 2; i++) {
                double angle = p / Math.pow(10000, 2.0 * i / dim);
                table[p * dim + 2 * i] = (float) Math.sin(angle);
                table[p * dim + 2 * i + 1] = (float) Math.cos(angle);
            }
        }
        return table;
    }

    /**
     * Transformer-XL relative sinusoid (arXiv:1901.02860, concatenated form {@code [sin ‖ cos]} of the distance):
     * row {@code r} encodes distance {@code r}; {@code [distances × dim]} flattened. Interim for family's
     * Transformer-XL.
     */
    static float[] sinusoidalConcatenated(int distances, int dim) {
        float[] table = new float[distances * dim];
        int half = dim / 2;
        for (int r = 0; r < distances; r++) {
            for (int i = 0; i < half; i++) {
                double angle = r / Math.pow(10000, 2.0 * i / dim);
                table[r * dim + i] = (float) Math.sin(angle);
                table[r * dim + half + i] = (float) Math.cos(angle);
            }
        }
        return table;
    }

    /** KERPLE log bias {@code −r1·ln(1 + r2·|i − j|)} (arXiv:2205.09921). Interim reference for family's KERPLE. */
    static double kerpleLog(double r1, double r2, int query, int key) {
        return -r1 * Math.log1p(r2 * Math.abs(query - key));
    }

    /**
     * FIRE input {@code ψ(i − j) / ψ(max(L, i))} with {@code ψ(x) = ln(|c·x| + 1)} (arXiv:2310.04418, eq. 5–6),
     * before the MLP. Interim reference for family's FIRE.
     */
    static double fireInput(double c, double threshold, int query, int key) {
        double psiDistance = Math.log(Math.abs(c * (query - key)) + 1);
        double psiNorm = Math.log(Math.abs(c * Math.max(threshold, query)) + 1);
        return psiDistance / (psiNorm + 1e-6);
    }

    /**
     * Applies RoPE in place, half layout, to {@code x} laid out {@code [rows, seqLen, headDim]} (rows = batch ×
     * heads), with the tables of {@link #ropeCosSin}: one pass over memory. Interim for rope-kernels' in-place
     * kernel.
     */
    static void ropeApplyInPlace(float[] x, int rows, int seqLen, int headDim, float[] cos, float[] sin) {
        int half = headDim / 2;
        for (int r = 0; r < rows; r++) {
            for (int p = 0; p < seqLen; p++) {
                int base = (r * seqLen + p) * headDim;
                int table = p * headDim;
                for (int i = 0; i < half; i++) {
                    float x1 = x[base + i];
                    float x2 = x[base + half + i];
                    float c = cos[table + i];
                    float s = sin[table + i];
                    x[base + i] = x1 * c - x2 * s;
                    x[base + half + i] = x2 * c + x1 * s;
                }
            }
        }
    }
}
