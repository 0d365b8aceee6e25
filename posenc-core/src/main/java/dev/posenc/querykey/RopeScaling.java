package dev.posenc.querykey;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How a rope type rescales the rotary frequencies: one record per Hugging Face {@code rope_type}, holding the
 * <em>effective</em> parameters (the config loader has already applied Hugging Face's defaults and aliases).
 *
 * <p>Each record reproduces one function of Hugging Face transformers v5 {@code src/transformers/modeling_rope_utils.py}
 * (the {@code _compute_*_parameters} functions; {@link Default} reproduces the per-model
 * {@code compute_default_rope_parameters}). Every computation follows HF's dtypes: float32 where HF computes on
 * float32 tensors, double where HF uses Python floats (correction dimensions, {@code math.log}, attention factors).
 * Scalars meeting float32 tensors are rounded to float32 first and {@code scalar / t} is
 * {@code t.reciprocal() * scalar}, as in PyTorch. With {@code d = rotaryDim} and {@code e_i = 2i/d} (float32):
 * <pre>
 *   default       inv_i = 1 / θ^e_i
 *   linear        inv_i = (1 / θ^e_i) / s
 *   dynamic       θ' = θ·(s·L/maxpos − (s−1))^(d/(d−2)),  L = max(seq_len, maxpos);  inv_i = 1 / θ'^e_i
 *   ntk           θ' = θ·s^(d/(d−2));  inv_i = 1 / θ'^e_i                                   (not in HF)
 *   yarn          inv_i = (1/(s·θ^e_i))·(1 − ef_i) + (1/θ^e_i)·ef_i,  ef_i = 1 − clamp((i − low)/(high − low), 0, 1)
 *   longrope      inv_i = 1 / (ext_i · θ^e_i),  ext = long_factor if seq_len &gt; L0 else short_factor
 *   llama3        wl_i = 2π/inv_i: keep if wl_i &lt; L0/high, divide by s if wl_i &gt; L0/low, else blend with
 *                 sm_i = (L0/wl_i − low)/(high − low): (1 − sm_i)·inv_i/s + sm_i·inv_i
 *   proportional  inv_i = 1 / θ^(2i/head_dim) for i &lt; int(p·head_dim // 2), 0 after, all divided by s
 * </pre>
 *
 * <h2>Differences from the transformers v4.4x releases we deliberately do not follow</h2>
 * posenc follows v5; the older releases that produced many published checkpoints computed some types differently:
 * <ul>
 *   <li>YaRN, v4.43–4.44: {@code original_max_position_embeddings} was ignored ({@code max_position_embeddings} was
 *       used as L0), the attention factor was {@code 0.1·ln s + 1} without {@code mscale}/{@code mscale_all_dim}, and
 *       the correction range was always truncated. v4.45–4.55: when {@code rope_scaling} carried L0, an explicit
 *       {@code factor} was replaced by {@code max_position_embeddings / L0} (transformers #38224, fixed by #40320).
 *       {@code truncate} exists since v4.55 (gpt-oss).
 *   <li>LongRoPE, v4.43–4.44: with a top-level {@code original_max_position_embeddings} (Phi-3) the factor was always
 *       {@code max_position_embeddings / L0} (an explicit {@code factor} was ignored) and the long factors were used
 *       from initialisation (v4.43) or for every {@code seq_len >= L0} (v4.44); v5 uses the short factors at
 *       initialisation and switches to the long ones only for {@code seq_len > L0}.
 *   <li>v4.43 derived the rotary dimension from {@code hidden_size / num_attention_heads} even when {@code head_dim}
 *       was set (default, dynamic, yarn, longrope).
 *   <li>Dynamic NTK: the v5 development branch wrote {@code None_max_seq_len_cached} (transformers PR #46624), so the
 *       reset below the original length never ran; {@link DynamicRopeState} implements the intended behaviour.
 *       Remote-code models with their own dynamic class (InternLM2, the old {@code LlamaDynamicNTKScalingRotaryEmbedding})
 *       compute the scaled base from a Python int in double precision and never reset; posenc follows HF v5.
 * </ul>
 *
 * <h2>xPos</h2>
 * xPos (Sun et al. 2022, "A Length-Extrapolatable Transformer") keeps these frequencies and multiplies the rotated
 * query by {@code ζ_i^(m/γ)} and the key by {@code ζ_i^(−n/γ)}, {@code ζ_i = (2i/d + 0.4)/1.4}: it is a per-position
 * magnitude applied next to the rotation, so it lives with the kernels, not here.
 */
public sealed interface RopeScaling
        permits RopeScaling.Default, RopeScaling.Linear, RopeScaling.Dynamic, RopeScaling.Ntk, RopeScaling.Yarn,
                RopeScaling.LongRope, RopeScaling.Llama3, RopeScaling.Proportional {

    /** The rope type this record implements. */
    RopeType type();

    /**
     * A scaling factor: finite and {@code > 0} as a float32 (HF computes with it in float32 tensors). Hugging Face
     * only warns about factors below 1 and computes with them, so does posenc; the config reader warns.
     */
    private static double requireFactor(double factor) {
        return RopeParameterException.requireFloat32Positive("factor", factor);
    }

    private static double requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new RopeParameterException(name, "a finite number > 0", RopeParameterException.format(value));
        }
        return value;
    }

    private static int requirePositive(String name, int value) {
        if (value <= 0) {
            throw new RopeParameterException(name, "a positive integer", String.valueOf(value));
        }
        return value;
    }

    /**
     * The largest attention factor accepted, {@code sqrt(Float.MAX_VALUE)} ≈ 1.8e19: the factor multiplies cos and
     * sin, so attention logits scale by its square, which must stay a finite float32. Factors {@code <= 0} (which
     * Hugging Face computes with: an explicit negative {@code attention_factor} only draws a warning, a negative
     * YaRN {@code mscale} not even that) are rejected too: they zero or flip every rotated pair.
     */
    double MAX_ATTENTION_SCALING = Math.sqrt(Float.MAX_VALUE);

    /** An explicit attention factor: positive, with a finite square in float32 (see {@link #MAX_ATTENTION_SCALING}). */
    private static void requireAttentionFactor(OptionalDouble attentionFactor) {
        Objects.requireNonNull(attentionFactor, "attentionFactor");
        if (attentionFactor.isPresent()) {
            RopeParameterException.requireAttentionScaling("attention_factor", attentionFactor.getAsDouble(),
                    RopeParameterException.format(attentionFactor.getAsDouble()));
        }
    }

    /** All pairs {@link PairBand#KEPT} when the factor is 1, else all {@link PairBand#INTERPOLATED}. */
    private static PairBand[] uniform(int pairs, double factor) {
        PairBand[] bands = new PairBand[pairs];
        Arrays.fill(bands, factor == 1 ? PairBand.KEPT : PairBand.INTERPOLATED);
        return bands;
    }

    /** The original RoPE: {@code compute_default_rope_parameters} of each v5 model (e.g. {@code LlamaRotaryEmbedding}). */
    record Default() implements RopeScaling {
        @Override
        public RopeType type() {
            return RopeType.DEFAULT;
        }

        float[] invFreq(RopeGeometry spec) {
            return spec.unscaledInvFreq();
        }

        PairBand[] bands(RopeGeometry spec) {
            return uniform(spec.rotaryDim() / 2, 1);
        }
    }

    /**
     * Position interpolation: HF {@code _compute_linear_scaling_rope_parameters}, {@code inv_freq /= factor}.
     *
     * @param factor the interpolation factor {@code s > 0} (finite in float32; HF warns below 1)
     */
    record Linear(double factor) implements RopeScaling {
        public Linear {
            requireFactor(factor);
        }

        @Override
        public RopeType type() {
            return RopeType.LINEAR;
        }

        float[] invFreq(RopeGeometry spec) {
            float[] inv = spec.unscaledInvFreq();
            float f = (float) factor;
            for (int i = 0; i < inv.length; i++) {
                inv[i] /= f;
            }
            return inv;
        }

        PairBand[] bands(RopeGeometry spec) {
            return uniform(spec.rotaryDim() / 2, factor);
        }
    }

    /**
     * Dynamic NTK scaling: HF {@code _compute_dynamic_ntk_parameters} as {@code dynamic_rope_update} calls it.
     *
     * <p>At initialisation (and for any sequence not longer than {@code max_position_embeddings}) the frequencies
     * are the default ones: HF evaluates the formula with {@code seq_len = max_position_embeddings} in Python
     * doubles, giving {@code θ' = θ}. For a longer sequence the forward pass passes {@code seq_len} as an int64
     * tensor, so {@code θ'} is computed in float32; we reproduce that. See {@link DynamicRopeState} for the
     * stateful growth/reset behaviour of a running model.
     *
     * @param factor {@code s > 0} (finite in float32; HF warns below 1)
     */
    record Dynamic(double factor) implements RopeScaling {
        public Dynamic {
            requireFactor(factor);
        }

        @Override
        public RopeType type() {
            return RopeType.DYNAMIC;
        }

        /**
         * The scaled base {@code θ' = θ·(s·L/maxpos − (s−1))^(d/(d−2))}, {@code L = max(seqLen, maxpos)}, as HF
         * computes it: in double for {@code seqLen <= maxpos} (initialisation), in float32 otherwise.
         */
        public double scaledTheta(RopeSpec spec, long seqLen) {
            Objects.requireNonNull(spec, "spec");
            return scaledTheta(spec.geometry(), seqLen);
        }

        double scaledTheta(RopeGeometry spec, long seqLen) {
            int dim = spec.rotaryDim();
            int maxpos = spec.maxPositionEmbeddings();
            if (seqLen <= maxpos) {
                double grown = factor * maxpos / maxpos - (factor - 1);
                return spec.ropeTheta() * StrictMath.pow(grown, (double) dim / (dim - 2));
            }
            float grown = (float) factor * (float) seqLen / (float) maxpos - (float) (factor - 1);
            float power = TorchFloat32.powScalarExponent(grown, (double) dim / (dim - 2));
            return (float) spec.ropeTheta() * power;
        }

        float[] invFreq(RopeGeometry spec, long seqLen) {
            return TorchFloat32.inverseFrequencies(scaledTheta(spec, seqLen), spec.exponents());
        }
    }

    /**
     * Static NTK-aware scaling (bloc97, 2023; vLLM {@code NTKScalingRotaryEmbedding} without mixing): a fixed larger
     * base {@code θ' = θ·s^(d/(d−2))}, computed in double, then the default float32 frequencies of {@code θ'} (the
     * way HF's dynamic NTK builds its frequencies at initialisation). Not a Hugging Face rope type: it stretches the
     * context by a fixed {@code s} whatever the sequence length.
     *
     * @param factor {@code s > 0} (finite in float32; HF warns below 1)
     */
    record Ntk(double factor) implements RopeScaling {
        public Ntk {
            requireFactor(factor);
        }

        @Override
        public RopeType type() {
            return RopeType.NTK;
        }

        /** {@code θ' = θ·s^(d/(d−2))}. */
        public double scaledTheta(RopeSpec spec) {
            Objects.requireNonNull(spec, "spec");
            return scaledTheta(spec.geometry());
        }

        double scaledTheta(RopeGeometry spec) {
            int dim = spec.rotaryDim();
            return spec.ropeTheta() * StrictMath.pow(factor, (double) dim / (dim - 2));
        }

        float[] invFreq(RopeGeometry spec) {
            return TorchFloat32.inverseFrequencies(scaledTheta(spec), spec.exponents());
        }
    }

    /**
     * YaRN (Peng et al. 2023, arXiv:2309.00071): HF {@code _compute_yarn_parameters}.
     *
     * <p>Correction dimensions (double): {@code dim(r) = d·ln(L0/(r·2π)) / (2·ln θ)}, {@code low = dim(betaFast)},
     * {@code high = dim(betaSlow)}; floored/ceiled when {@code truncate}; then {@code low = max(low, 0)},
     * {@code high = min(high, d − 1)} (HF clamps to {@code d − 1}, not {@code d/2 − 1}); {@code high += 0.001} when
     * they are equal. Attention factor: {@code attentionFactor} if given, else
     * {@code get_mscale(s, mscale)/get_mscale(s, mscaleAllDim)} when both are non-zero (Python truthiness), else
     * {@code get_mscale(s)}, with {@code get_mscale(s, m) = 1 if s <= 1 else 0.1·m·ln s + 1}.
     *
     * @param factor {@code s > 0} (finite in float32; HF warns below 1) (HF's default {@code max_position_embeddings / L0} already applied)
     * @param originalMaxPositionEmbeddings L0
     * @param betaFast the rotation count bounding extrapolation (HF {@code beta_fast or 32} already applied)
     * @param betaSlow the rotation count bounding interpolation (HF {@code beta_slow or 1} already applied)
     * @param truncate whether the correction range is rounded outwards to integers
     * @param attentionFactor the explicit {@code attention_factor}, if the config sets one
     * @param mscale {@code mscale}, 0 when absent (HF treats 0 and None alike)
     * @param mscaleAllDim {@code mscale_all_dim}, 0 when absent
     */
    record Yarn(double factor, int originalMaxPositionEmbeddings, double betaFast, double betaSlow, boolean truncate,
                OptionalDouble attentionFactor, double mscale, double mscaleAllDim) implements RopeScaling {
        public Yarn {
            Objects.requireNonNull(attentionFactor, "attentionFactor");
            requireFactor(factor);
            requirePositive("original_max_position_embeddings", originalMaxPositionEmbeddings);
            requirePositive("beta_fast", betaFast);
            requirePositive("beta_slow", betaSlow);
            requireAttentionFactor(attentionFactor);
            RopeParameterException.requireFloat32Finite("mscale", mscale);
            RopeParameterException.requireFloat32Finite("mscale_all_dim", mscaleAllDim);
            if (attentionFactor.isEmpty()) {
                String culprit = mscale != 0 && mscaleAllDim != 0 ? "mscale" : "factor";
                RopeParameterException.requireAttentionScaling(culprit, attentionScaling(factor, attentionFactor, mscale, mscaleAllDim),
                        RopeParameterException.format(culprit.equals("mscale") ? mscale : factor));
            }
        }

        /** The (low, high) bounds of the YaRN ramp in pair indices, after truncation and clamping. */
        public record CorrectionRange(double low, double high) {}

        @Override
        public RopeType type() {
            return RopeType.YARN;
        }

        /** HF {@code find_correction_range(beta_fast, beta_slow, dim, base, L0, truncate)}. */
        public CorrectionRange correctionRange(int dim, double ropeTheta) {
            double low = correctionDim(betaFast, dim, ropeTheta);
            double high = correctionDim(betaSlow, dim, ropeTheta);
            if (truncate) {
                low = Math.floor(low);
                high = Math.ceil(high);
            }
            return new CorrectionRange(Math.max(low, 0), Math.min(high, dim - 1));
        }

        /** HF {@code find_correction_dim}: the pair index whose wavelength fits {@code numRotations} times into L0. */
        private double correctionDim(double numRotations, int dim, double ropeTheta) {
            return (dim * StrictMath.log(originalMaxPositionEmbeddings / (numRotations * 2 * Math.PI)))
                    / (2 * StrictMath.log(ropeTheta));
        }

        /** HF {@code get_mscale}. */
        static double mscaleOf(double scale, double mscale) {
            return scale <= 1 ? 1.0 : 0.1 * mscale * StrictMath.log(scale) + 1.0;
        }

        double attentionScaling() {
            return attentionScaling(factor, attentionFactor, mscale, mscaleAllDim);
        }

        private static double attentionScaling(double factor, OptionalDouble attentionFactor, double mscale,
                                               double mscaleAllDim) {
            if (attentionFactor.isPresent()) {
                return attentionFactor.getAsDouble();
            }
            if (mscale != 0 && mscaleAllDim != 0) {
                return mscaleOf(factor, mscale) / mscaleOf(factor, mscaleAllDim);
            }
            return mscaleOf(factor, 1);
        }

        /** {@code inv_freq_extrapolation_factor = 1 − linear_ramp_factor(low, high, d/2)} in float32. */
        float[] extrapolationFactor(RopeGeometry spec) {
            CorrectionRange range = correctionRange(spec.rotaryDim(), spec.ropeTheta());
            double low = range.low();
            double high = range.high() == low ? range.high() + 0.001 : range.high();
            float lowF = (float) low;
            float width = (float) (high - low);
            float[] ef = new float[spec.rotaryDim() / 2];
            for (int i = 0; i < ef.length; i++) {
                float ramp = ((float) i - lowF) / width;
                ramp = Math.min(Math.max(ramp, 0f), 1f);
                ef[i] = 1f - ramp;
            }
            return ef;
        }

        float[] invFreq(RopeGeometry spec) {
            float theta = (float) spec.ropeTheta();
            float[] exponents = spec.exponents();
            float[] ef = extrapolationFactor(spec);
            float s = (float) factor;
            float[] inv = new float[exponents.length];
            for (int i = 0; i < inv.length; i++) {
                float posFreq = TorchFloat32.pow(theta, exponents[i]);
                float extrapolation = 1f / posFreq;
                float interpolation = 1f / (s * posFreq);
                inv[i] = interpolation * (1f - ef[i]) + extrapolation * ef[i];
            }
            return inv;
        }

        PairBand[] bands(RopeGeometry spec) {
            float[] ef = extrapolationFactor(spec);
            PairBand[] bands = new PairBand[ef.length];
            for (int i = 0; i < ef.length; i++) {
                bands[i] = factor == 1 || ef[i] == 1f ? PairBand.KEPT
                        : ef[i] == 0f ? PairBand.INTERPOLATED : PairBand.BLENDED;
            }
            return bands;
        }
    }

    /**
     * LongRoPE (Ding et al. 2024; Phi-3, formerly {@code "su"}): HF {@code _compute_longrope_parameters} plus
     * {@code longrope_frequency_update}: {@code inv_i = 1/(ext_i·θ^e_i)} with the short factors up to
     * {@code seq_len = L0} and the long factors above (HF computes them with {@code seq_len = L0 + 1}). Attention
     * factor: {@code attentionFactor} if given, else {@code 1} when {@code s <= 1}, else {@code sqrt(1 + ln s/ln L0)}.
     * HF's Phi-3 drops its KV cache the first time L0 is crossed, since cached keys were rotated with the short
     * factors.
     *
     * @param shortFactor per-pair rescale factors used up to L0 (as float32, as HF's tensor holds them)
     * @param longFactor per-pair rescale factors used above L0
     * @param originalMaxPositionEmbeddings L0
     * @param factor {@code s} (HF's default {@code max_position_embeddings / L0} already applied); only enters the
     *     attention factor
     * @param attentionFactor the explicit {@code attention_factor}, if the config sets one
     */
    record LongRope(float[] shortFactor, float[] longFactor, int originalMaxPositionEmbeddings, double factor,
                    OptionalDouble attentionFactor) implements RopeScaling {
        public LongRope {
            Objects.requireNonNull(shortFactor, "shortFactor");
            Objects.requireNonNull(longFactor, "longFactor");
            Objects.requireNonNull(attentionFactor, "attentionFactor");
            if (shortFactor.length == 0
                    || shortFactor.length != longFactor.length) {
                throw new IllegalArgumentException("short_factor and long_factor must be non-empty and equally long");
            }
            shortFactor = shortFactor.clone();
            longFactor = longFactor.clone();
            for (int i = 0; i < shortFactor.length; i++) {
                RopeParameterException.requireFloat32Positive("short_factor[" + i + "]", shortFactor[i]);
                RopeParameterException.requireFloat32Positive("long_factor[" + i + "]", longFactor[i]);
            }
            requirePositive("original_max_position_embeddings", originalMaxPositionEmbeddings);
            requireFactor(factor);
            requireAttentionFactor(attentionFactor);
            if (attentionFactor.isEmpty() && factor > 1 && originalMaxPositionEmbeddings == 1) {
                throw new RopeParameterException("original_max_position_embeddings", "an integer > 1 (the attention "
                        + "factor sqrt(1 + ln factor / ln original_max_position_embeddings) divides by its log)", "1");
            }
        }

        @Override
        public float[] shortFactor() {
            return shortFactor.clone();
        }

        @Override
        public float[] longFactor() {
            return longFactor.clone();
        }

        @Override
        public RopeType type() {
            return RopeType.LONGROPE;
        }

        /** Whether a forward pass of {@code seqLen} tokens uses the long factors ({@code seqLen > L0}). */
        public boolean usesLongFactors(long seqLen) {
            return seqLen > originalMaxPositionEmbeddings;
        }

        double attentionScaling() {
            if (attentionFactor.isPresent()) {
                return attentionFactor.getAsDouble();
            }
            if (factor <= 1.0) {
                return 1.0;
            }
            return StrictMath.sqrt(1 + StrictMath.log(factor) / StrictMath.log(originalMaxPositionEmbeddings));
        }

        float[] invFreq(RopeGeometry spec, long seqLen) {
            float[] ext = usesLongFactors(seqLen) ? longFactor : shortFactor;
            float theta = (float) spec.ropeTheta();
            float[] exponents = spec.exponents();
            float[] inv = new float[exponents.length];
            for (int i = 0; i < inv.length; i++) {
                inv[i] = 1f / (ext[i] * TorchFloat32.pow(theta, exponents[i]));
            }
            return inv;
        }

        PairBand[] bands(long seqLen) {
            float[] ext = usesLongFactors(seqLen) ? longFactor : shortFactor;
            PairBand[] bands = new PairBand[ext.length];
            for (int i = 0; i < ext.length; i++) {
                bands[i] = ext[i] == 1f ? PairBand.KEPT : PairBand.INTERPOLATED;
            }
            return bands;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LongRope that
                    && Arrays.equals(shortFactor, that.shortFactor)
                    && Arrays.equals(longFactor, that.longFactor)
                    && originalMaxPositionEmbeddings == that.originalMaxPositionEmbeddings
                    && Double.compare(factor, that.factor) == 0
                    && attentionFactor.equals(that.attentionFactor);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * (31 * Arrays.hashCode(shortFactor) + Arrays.hashCode(longFactor))
                    + originalMaxPositionEmbeddings) + Double.hashCode(factor);
        }

        @Override
        public String toString() {
            return "LongRope[shortFactor=" + Arrays.toString(shortFactor) + ", longFactor="
                    + Arrays.toString(longFactor) + ", originalMaxPositionEmbeddings=" + originalMaxPositionEmbeddings
                    + ", factor=" + factor + ", attentionFactor=" + attentionFactor + "]";
        }
    }

    /**
     * Llama 3.1 scaling: HF {@code _compute_llama3_parameters}. In float32: {@code wl_i = inv_i.reciprocal()·2π};
     * pairs with {@code wl_i < L0/high} are kept, pairs with {@code wl_i > L0/low} divided by {@code s}, the band
     * between blended with {@code sm_i = (wl_i.reciprocal()·L0 − low)/(high − low)}:
     * {@code (1 − sm_i)·inv_i/s + sm_i·inv_i}. The band decisions compare float32 wavelengths with the float32
     * rounding of the Python thresholds, exactly as torch does.
     *
     * @param factor {@code s > 0} (finite in float32; HF warns below 1)
     * @param lowFreqFactor {@code low > 0}
     * @param highFreqFactor {@code high > 0}; Hugging Face only warns when {@code high <= low} and computes the
     *     blend anyway (no pair is blended when {@code high < low}; a pair exactly at the threshold divides by 0,
     *     which {@link RopeSpec} rejects as a non-finite frequency)
     * @param originalMaxPositionEmbeddings L0
     */
    record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings)
            implements RopeScaling {
        public Llama3 {
            requireFactor(factor);
            requirePositive("low_freq_factor", lowFreqFactor);
            requirePositive("high_freq_factor", highFreqFactor);
            requirePositive("original_max_position_embeddings", originalMaxPositionEmbeddings);
        }

        @Override
        public RopeType type() {
            return RopeType.LLAMA3;
        }

        private float lowFreqWavelength() {
            return (float) (originalMaxPositionEmbeddings / lowFreqFactor);
        }

        private float highFreqWavelength() {
            return (float) (originalMaxPositionEmbeddings / highFreqFactor);
        }

        float[] invFreq(RopeGeometry spec) {
            float[] inv = spec.unscaledInvFreq();
            float lowWl = lowFreqWavelength();
            float highWl = highFreqWavelength();
            float s = (float) factor;
            float low = (float) lowFreqFactor;
            float width = (float) (highFreqFactor - lowFreqFactor);
            float context = (float) originalMaxPositionEmbeddings;
            for (int i = 0; i < inv.length; i++) {
                float wavelength = TorchFloat32.wavelength(inv[i]);
                float scaled = wavelength > lowWl ? inv[i] / s : inv[i];
                if (!(wavelength < highWl) && !(wavelength > lowWl)) {
                    float smooth = ((1f / wavelength) * context - low) / width;
                    scaled = (1f - smooth) * scaled / s + smooth * scaled;
                }
                inv[i] = scaled;
            }
            return inv;
        }

        PairBand[] bands(RopeGeometry spec) {
            float[] inv = spec.unscaledInvFreq();
            PairBand[] bands = new PairBand[inv.length];
            for (int i = 0; i < inv.length; i++) {
                float wavelength = TorchFloat32.wavelength(inv[i]);
                bands[i] = factor == 1 || wavelength < highFreqWavelength() ? PairBand.KEPT
                        : wavelength > lowFreqWavelength() ? PairBand.INTERPOLATED : PairBand.BLENDED;
            }
            return bands;
        }
    }

    /**
     * Proportional RoPE (Gemma 4): HF {@code _compute_proportional_rope_parameters}. The first
     * {@code int(p·head_dim // 2)} pairs rotate with exponent denominator {@code head_dim} (not the rotated width),
     * the remaining pairs of the head get {@code inv_freq = 0}; everything is divided by {@code factor}. The spec's
     * {@code rotaryDim} is therefore the whole head, pairs {@code (i, i + head_dim/2)}.
     *
     * @param factor {@code s > 0} (finite in float32; HF warns below 1)
     * @param partialRotaryFactor {@code p} in {@code [0, 1]} (0: no pair rotates, as Hugging Face computes it)
     */
    record Proportional(double factor, double partialRotaryFactor) implements RopeScaling {
        public Proportional {
            requireFactor(factor);
            if (!(partialRotaryFactor >= 0 && partialRotaryFactor <= 1)) {
                throw new RopeParameterException("partial_rotary_factor", "a number in [0, 1]",
                        RopeParameterException.format(partialRotaryFactor));
            }
        }

        @Override
        public RopeType type() {
            return RopeType.PROPORTIONAL;
        }

        /** HF {@code rope_angles = int(rope_proportion * head_dim // 2)}: the number of rotating pairs. */
        public int ropeAngles(int headDim) {
            return (int) Math.floor(partialRotaryFactor * headDim / 2);
        }

        float[] invFreq(RopeGeometry spec) {
            int headDim = spec.headDim();
            int angles = ropeAngles(headDim);
            float theta = (float) spec.ropeTheta();
            float s = (float) factor;
            float[] inv = new float[headDim / 2];
            for (int i = 0; i < angles; i++) {
                inv[i] = 1f / TorchFloat32.pow(theta, (float) (2 * i) / (float) headDim);
            }
            for (int i = 0; i < inv.length; i++) {
                inv[i] /= s;
            }
            return inv;
        }

        PairBand[] bands(RopeGeometry spec) {
            PairBand[] bands = uniform(spec.headDim() / 2, factor);
            Arrays.fill(bands, ropeAngles(spec.headDim()), bands.length, PairBand.UNROTATED);
            return bands;
        }
    }
}
