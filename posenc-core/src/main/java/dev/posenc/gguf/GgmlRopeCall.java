package dev.posenc.gguf;

import dev.posenc.querykey.RopeLayout;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The arguments of one {@code ggml_rope_ext} / {@code ggml_rope_multi} call as llama.cpp makes it
 * ({@code src/llama-graph.cpp:1460,1470-1482}), and ggml's CPU rotation with them.
 *
 * <p>What ggml computes ({@code ggml/src/ggml-cpu/ops.cpp} 5818-5856, 5930-5946, 6010, 6072-6083; INDEX of the
 * shared fixtures): {@code theta_scale = freq_base^(-2/n_dims)}; for pair {@code i},
 * {@code theta_extrap = p·theta_scale^i / c_i}, {@code theta_interp = freq_scale·theta_extrap}; with
 * {@code ext_factor ≠ 0}: {@code ramp = (1 − clamp((i − low)/max(0.001, high − low), 0, 1))·ext_factor},
 * {@code theta = theta_interp·(1 − ramp) + theta_extrap·ramp}, {@code mscale = attn_factor·(1 + 0.1·ln(1/freq_scale))};
 * else {@code theta = theta_interp}, {@code mscale = attn_factor}. {@code low = max(0, floor(d(beta_fast)))},
 * {@code high = min(n_dims − 1, ceil(d(beta_slow)))}, {@code d(b) = n_dims·ln(n_ctx_orig/(2πb)) / (2·ln freq_base)}
 * ({@code ggml/src/ggml.c:4371-4383}). NORMAL rotates pairs {@code (2i, 2i+1)}, NEOX/MROPE/IMROPE
 * {@code (i, i + n_dims/2)}: {@code y0 = x0·cos·mscale − x1·sin·mscale}, {@code y1 = x0·sin·mscale + x1·cos·mscale};
 * dimensions from {@code n_dims} on are copied. M-RoPE ({@code ops.cpp} 5858-5927): {@code sector = i mod Σs};
 * MROPE takes t below {@code s0}, h below {@code s0+s1}, w below {@code s0+s1+s2}, e after; IMROPE takes h when
 * {@code sector%3 == 1 && sector < 3·s1}, w when {@code sector%3 == 2 && sector < 3·s2}, t when
 * {@code sector%3 == 0 && sector < 3·s0}, e otherwise (llama.cpp feeds text tokens {@code [p, p, p, 0]}).
 *
 * <p>Two evaluations: {@link #rotateGgml} is ggml's own float32 chain (the angle accumulated by
 * {@code theta *= theta_scale}, float {@code cos}/{@code sin}, the YaRN mix contracted to one FMA as ggml's x86-64
 * build contracts it), to reproduce a llama.cpp run (within 1 float ulp of ggml's dumps at every position up to
 * 10^6);
 * {@link #angle}/{@link #rotateExact} evaluate the same formula in double with {@code theta_scale^i} computed
 * directly, the rotation the formula means (ggml's float chain drifts from it by ~1e-2 at position 10^6).
 *
 * @param multi {@code ggml_rope_multi} (M-RoPE) rather than {@code ggml_rope_ext}
 * @param nDims the rotated dimensions {@code n_rot}
 * @param mode 0 NORMAL, 2 NEOX, 8 MROPE, 40 IMROPE
 * @param nCtxOrig {@code n_ctx_orig_yarn}
 * @param freqBase {@code freq_base}
 * @param freqScale {@code freq_scale}
 * @param extFactor {@code ext_factor} (1 for YaRN, else 0)
 * @param attnFactor {@code attn_factor} as {@code llama-context.cpp:176-213} derives it
 * @param betaFast YaRN {@code beta_fast}
 * @param betaSlow YaRN {@code beta_slow}
 * @param sections the four M-RoPE sections (zeros for {@code ggml_rope_ext})
 * @param freqFactorsTensor the tensor passed as ggml's {@code c}, if any
 * @param freqFactors its values ({@code nDims/2}), empty when none
 */
public record GgmlRopeCall(boolean multi, int nDims, int mode, int nCtxOrig, float freqBase, float freqScale,
                           float extFactor, float attnFactor, float betaFast, float betaSlow, int[] sections,
                           Optional<String> freqFactorsTensor, float[] freqFactors) {
    public static final int NORMAL = 0;
    public static final int NEOX = 2;
    public static final int MROPE = 8;
    public static final int IMROPE = 40;

    public GgmlRopeCall {
        Objects.requireNonNull(freqFactorsTensor, "freqFactorsTensor");
        sections = sections.clone();
        freqFactors = freqFactors.clone();
        if (sections.length != 4) {
            throw new IllegalArgumentException("sections: expected 4 values, got " + sections.length);
        }
        if (nDims < 2 || nDims % 2 != 0) {
            throw new IllegalArgumentException("n_dims: expected an even number >= 2, got " + nDims);
        }
        if (freqFactors.length != 0 && freqFactors.length != nDims / 2) {
            throw new IllegalArgumentException("freq_factors: expected n_dims/2 = " + nDims / 2 + " values, got "
                    + freqFactors.length);
        }
        if (multi && Arrays.stream(sections).sum() <= 0) {
            throw new IllegalArgumentException("sections: expected a positive sum for ggml_rope_multi");
        }
    }

    @Override
    public int[] sections() {
        return sections.clone();
    }

    @Override
    public float[] freqFactors() {
        return freqFactors.clone();
    }

    /** Pairs {@code (2i, 2i+1)} for NORMAL ({@link RopeLayout#INTERLEAVED}), {@code (i, i+n/2)} otherwise. */
    public RopeLayout layout() {
        return mode == NORMAL ? RopeLayout.INTERLEAVED : RopeLayout.HALF;
    }

    /** {@code ggml_rope_yarn_corr_dims} in float, as {@code ggml.c:4371-4383}. */
    public float[] corrDims() {
        float start = (float) Math.floor(corrDim(betaFast));
        float end = (float) Math.ceil(corrDim(betaSlow));
        return new float[] {Math.max(0f, start), Math.min((float) (nDims - 1), end)};
    }

    private float corrDim(float nRot) {
        float pi = (float) Math.PI;
        float ratio = nCtxOrig / (nRot * 2 * pi);
        return nDims * (float) Math.log(ratio) / (2 * (float) Math.log(freqBase));
    }

    /** The magnitude ggml multiplies cos and sin by: {@code attn_factor}, times YaRN's {@code 1 + 0.1·ln(1/s)}. */
    public float mscale() {
        return extFactor != 0 ? attnFactor * (1.0f + 0.1f * (float) Math.log(1.0f / freqScale)) : attnFactor;
    }

    /**
     * The axis (0 t, 1 h, 2 w, 3 e) whose position pair {@code i} follows; 0 for {@code ggml_rope_ext}.
     */
    public int axis(int pair) {
        if (!multi) {
            return 0;
        }
        int sectDims = sections[0] + sections[1] + sections[2] + sections[3];
        int sector = pair % sectDims;
        if (mode == IMROPE) {
            if (sector % 3 == 1 && sector < 3 * sections[1]) {
                return 1;
            } else if (sector % 3 == 2 && sector < 3 * sections[2]) {
                return 2;
            } else if (sector % 3 == 0 && sector < 3 * sections[0]) {
                return 0;
            }
            return 3;
        }
        int secW = sections[0] + sections[1];
        if (sector >= sections[0] && sector < secW) {
            return 1;
        } else if (sector >= secW && sector < secW + sections[2]) {
            return 2;
        } else if (sector >= secW + sections[2]) {
            return 3;
        }
        return 0;
    }

    /** The YaRN ramp of pair {@code i} times {@code ext_factor} ({@code rope_yarn_ramp}), in float. */
    private float rampMix(int pair, float[] corr) {
        float y = (pair - corr[0]) / Math.max(0.001f, corr[1] - corr[0]);
        return (1 - Math.min(1f, Math.max(0f, y))) * extFactor;
    }

    /**
     * The angle of pair {@code i} at positions {@code pos} (one per axis t, h, w, e; a 1-D position {@code p} of
     * a text token is {@code [p, p, p, 0]} for M-RoPE), in double: {@code p_axis·freq_base^(−2i/n)/c_i} mixed as
     * ggml mixes it.
     */
    public double angle(int pair, long[] pos) {
        double thetaExtrap = pos[axis(pair)] * Math.pow(freqBase, -2.0 * pair / nDims)
                / (freqFactors.length == 0 ? 1.0 : freqFactors[pair]);
        double thetaInterp = freqScale * thetaExtrap;
        if (extFactor == 0) {
            return thetaInterp;
        }
        double ramp = rampMix(pair, corrDims());
        return thetaInterp * (1 - ramp) + thetaExtrap * ramp;
    }

    /** The text-token positions llama.cpp feeds: {@code p}, or {@code [p, p, p, 0]} for M-RoPE. */
    public long[] textPosition(long p) {
        return multi ? new long[] {p, p, p, 0} : new long[] {p};
    }

    /**
     * ggml's CPU rotation, float32 as ggml computes it, of {@code x} laid out {@code [token][head][headDim]}
     * (ggml's {@code ne = [headDim, heads, tokens]}); returns a new array.
     *
     * @param pos per token, its positions per axis ({@link #textPosition(long)} for text)
     */
    public float[] rotateGgml(float[] x, int headDim, int heads, long[][] pos) {
        float[] y = x.clone();
        float thetaScale = (float) Math.pow(freqBase, -2.0f / nDims);
        float[] corr = corrDims();
        float mscale = mscale();
        float[] cache = new float[nDims];
        for (int t = 0; t < pos.length; t++) {
            float[] theta = new float[4];
            for (int a = 0; a < pos[t].length; a++) {
                theta[a] = (float) pos[t][a];
            }
            for (int i = 0; i < nDims / 2; i++) {
                float ff = freqFactors.length == 0 ? 1.0f : freqFactors[i];
                float thetaExtrap = theta[axis(i)] / ff;
                float thetaInterp = freqScale * thetaExtrap;
                float angle = thetaInterp;
                if (extFactor != 0.0f) {
                    float ramp = rampMix(i, corr);
                    angle = Math.fma(thetaInterp, 1 - ramp, thetaExtrap * ramp);
                }
                cache[2 * i] = (float) Math.cos(angle) * mscale;
                cache[2 * i + 1] = (float) Math.sin(angle) * mscale;
                for (int a = 0; a < 4; a++) {
                    theta[a] *= thetaScale;
                }
            }
            for (int h = 0; h < heads; h++) {
                int base = (t * heads + h) * headDim;
                for (int i = 0; i < nDims / 2; i++) {
                    int i0 = mode == NORMAL ? base + 2 * i : base + i;
                    int i1 = mode == NORMAL ? i0 + 1 : i0 + nDims / 2;
                    float x0 = x[i0];
                    float x1 = x[i1];
                    y[i0] = x0 * cache[2 * i] - x1 * cache[2 * i + 1];
                    y[i1] = x0 * cache[2 * i + 1] + x1 * cache[2 * i];
                }
            }
        }
        return y;
    }

    /** The same rotation with {@link #angle} and {@link #mscale()} in double, as exact as double allows. */
    public double[] rotateExact(float[] x, int headDim, int heads, long[][] pos) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        double mscale = extFactor != 0 ? attnFactor * (1.0 + 0.1 * Math.log(1.0 / freqScale)) : attnFactor;
        for (int t = 0; t < pos.length; t++) {
            for (int i = 0; i < nDims / 2; i++) {
                double angle = angle(i, pos[t]);
                double c = Math.cos(angle) * mscale;
                double s = Math.sin(angle) * mscale;
                for (int h = 0; h < heads; h++) {
                    int base = (t * heads + h) * headDim;
                    int i0 = mode == NORMAL ? base + 2 * i : base + i;
                    int i1 = mode == NORMAL ? i0 + 1 : i0 + nDims / 2;
                    double x0 = x[i0];
                    double x1 = x[i1];
                    y[i0] = x0 * c - x1 * s;
                    y[i1] = x0 * s + x1 * c;
                }
            }
        }
        return y;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgmlRopeCall c && multi == c.multi && nDims == c.nDims && mode == c.mode
                && nCtxOrig == c.nCtxOrig && Float.compare(freqBase, c.freqBase) == 0
                && Float.compare(freqScale, c.freqScale) == 0 && Float.compare(extFactor, c.extFactor) == 0
                && Float.compare(attnFactor, c.attnFactor) == 0 && Float.compare(betaFast, c.betaFast) == 0
                && Float.compare(betaSlow, c.betaSlow) == 0 && Arrays.equals(sections, c.sections)
                && freqFactorsTensor.equals(c.freqFactorsTensor) && Arrays.equals(freqFactors, c.freqFactors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(multi, nDims, mode, nCtxOrig, freqBase, freqScale, extFactor, attnFactor,
                Arrays.hashCode(sections), freqFactorsTensor, Arrays.hashCode(freqFactors));
    }

    @Override
    public String toString() {
        return (multi ? "ggml_rope_multi" : "ggml_rope_ext") + "(n_dims=" + nDims + ", mode=" + mode
                + ", n_ctx_orig=" + nCtxOrig + ", freq_base=" + freqBase + ", freq_scale=" + freqScale
                + ", ext_factor=" + extFactor + ", attn_factor=" + attnFactor + ", beta_fast=" + betaFast
                + ", beta_slow=" + betaSlow + (multi ? ", sections=" + Arrays.toString(sections) : "")
                + ", c=" + freqFactorsTensor.orElse("null") + ")";
    }
}
