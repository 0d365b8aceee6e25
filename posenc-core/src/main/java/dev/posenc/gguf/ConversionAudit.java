package dev.posenc.gguf;

import dev.posenc.config.PositionConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import dev.posenc.querykey.RotaryFrequencies;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where llama.cpp (from a GGUF) and Hugging Face (from the config.json it was converted from) rotate the same
 * model differently: pair by pair, the frequency each uses for a text token, the angle difference that makes at the
 * last position of the context, the attention scaling, the layout; and what the config says that the GGUF cannot
 * carry. Hugging Face is evaluated for a short pass (one token: LongRoPE's short factors, dynamic NTK's base) and
 * for a pass over the whole context; llama.cpp for the context {@code n_ctx} (it picks LongRoPE factors once from it).
 *
 * <p>Two frequencies agree when they are within {@link #AGREE_ULPS} float32 ulps of each other (both sides round
 * their frequencies to float32 along different paths); attention scalings likewise.
 *
 * @param nCtx llama.cpp's context size the audit used
 * @param differences where the rotations differ, one line each (empty when they agree)
 * @param notCarried config values the GGUF cannot hold or llama.cpp does not read, one line each, with their effect
 * @param notes equivalences worth knowing (e.g. a layout the converter compensates by permuting weights)
 */
public record ConversionAudit(int nCtx, List<Difference> differences, List<String> notCarried, List<String> notes) {
    /** Frequencies (and attention scalings) within this many float32 ulps agree. */
    public static final int AGREE_ULPS = 16;

    public ConversionAudit {
        differences = List.copyOf(differences);
        notCarried = List.copyOf(notCarried);
        notes = List.copyOf(notes);
    }

    /**
     * One difference.
     *
     * @param kind {@code encoding}, {@code rotary_dim}, {@code mrope}, {@code frequency} (one pair),
     *     {@code attention_scaling}
     * @param pair the pair index for {@code frequency}, else −1
     * @param hfSeqLen the Hugging Face pass length it was seen at (0 when HF's rotation does not depend on it)
     * @param message the line to print
     */
    public record Difference(String kind, int pair, long hfSeqLen, String message) {
        public Difference {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Compares {@code hf} (from {@code HfConfig.load}) with {@code gguf} at context {@code nCtx} (0: default). */
    public static ConversionAudit compare(PositionConfig hf, LlamaCppModel gguf, int nCtx) {
        Objects.requireNonNull(hf, "hf");
        Objects.requireNonNull(gguf, "gguf");
        int ctx = nCtx == 0 ? gguf.contextLength() : nCtx;
        List<Difference> diffs = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        PositionConfig ours = gguf.positionConfig(ctx);
        if (!hf.encoding().kind().equals(ours.encoding().kind())) {
            diffs.add(new Difference("encoding", -1, 0, "encoding: Hugging Face " + hf.encoding().kind()
                    + ", llama.cpp " + ours.encoding().kind()));
            return new ConversionAudit(ctx, diffs, lost, notes);
        }
        if (!(hf.encoding() instanceof RopeEncoding hfRope)) {
            if (!hf.encoding().equals(ours.encoding())) {
                diffs.add(new Difference("encoding", -1, 0, "parameters: Hugging Face " + hf.encoding()
                        + ", llama.cpp " + ours.encoding()));
            }
            return new ConversionAudit(ctx, diffs, lost, notes);
        }
        GgmlRopeCall call = gguf.ropeCall(ctx, gguf.firstRopeLayer());
        RopeSpec spec = hfRope.spec();
        if (spec.rotaryDim() != call.nDims()) {
            diffs.add(new Difference("rotary_dim", -1, 0, "rotary_dim: Hugging Face " + spec.rotaryDim()
                    + ", llama.cpp n_rot " + call.nDims()));
            return new ConversionAudit(ctx, diffs, lost, notes);
        }
        if (spec.layout() != call.layout()) {
            notes.add("layout: Hugging Face " + spec.layout().id() + ", llama.cpp " + call.layout().id()
                    + " (mode " + call.mode() + "); equivalent when the converter permuted the q/k rows, as it does "
                    + "for " + gguf.architecture() + " (conversion/llama.py:35,176-190)");
        }
        if (hfRope.mrope().isPresent() != call.multi()) {
            diffs.add(new Difference("mrope", -1, 0, "M-RoPE: Hugging Face " + hfRope.mrope().map(m -> Arrays
                    .toString(m.section())).orElse("none") + ", llama.cpp " + (call.multi()
                    ? Arrays.toString(call.sections()) : "none")));
        }
        long[] seqLens = {1, ctx};
        RotaryFrequencies atOne = spec.frequencies(1);
        RotaryFrequencies atCtx = spec.frequencies(Math.min(ctx, RopeSpec.MAX_SEQ_LEN));
        boolean lengthFree = Arrays.equals(atOne.invFreq(), atCtx.invFreq())
                && atOne.attentionScaling() == atCtx.attentionScaling();
        float[] previous = null;
        double previousScaling = Double.NaN;
        for (long seqLen : seqLens) {
            RotaryFrequencies f = spec.frequencies(Math.min(seqLen, RopeSpec.MAX_SEQ_LEN));
            float[] inv = f.invFreq();
            if (previous != null && Arrays.equals(previous, inv) && previousScaling == f.attentionScaling()) {
                continue;
            }
            previous = inv;
            long label = lengthFree ? 0 : seqLen;
            String pass = lengthFree ? "" : " (HF " + seqLen + "-token pass)";
            previousScaling = f.attentionScaling();
            for (int i = 0; i < inv.length; i++) {
                double ours1 = call.angle(i, call.textPosition(1));
                if (!agree(ours1, inv[i])) {
                    double dTheta = (ours1 - inv[i]) * (ctx - 1);
                    diffs.add(new Difference("frequency", i, label, String.format(Locale.ROOT,
                            "pair %d%s: inv_freq HF %s, llama.cpp %s; angle difference %.4g rad at position %d", i,
                            pass, Float.toString(inv[i]), shortest(ours1), dTheta, ctx - 1)));
                }
            }
            double mscale = call.mscale();
            if (!agree(mscale, f.attentionScaling())) {
                diffs.add(new Difference("attention_scaling", -1, label, String.format(Locale.ROOT,
                        "attention scaling%s: HF %s, llama.cpp %s (logits scale by its square)", pass,
                        shortest(f.attentionScaling()), shortest(mscale))));
            }
        }
        notCarried(spec, gguf, call, lost);
        return new ConversionAudit(ctx, diffs, lost, notes);
    }

    private static boolean agree(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return Math.abs(a - b) <= AGREE_ULPS * Math.ulp((float) scale);
    }

    private static String shortest(double v) {
        return Float.toString((float) v);
    }

    private static void notCarried(RopeSpec spec, LlamaCppModel gguf, GgmlRopeCall call, List<String> lost) {
        String a = gguf.architecture();
        if (!gguf.file().metadata().containsKey(a + ".rope.freq_base") && spec.ropeTheta() != 10000) {
            lost.add("rope_theta " + shortest(spec.ropeTheta()) + ": not written (no " + a + ".rope.freq_base); "
                    + "llama.cpp uses 10000 (llama-model.cpp:1202-1203)");
        }
        switch (spec.scaling()) {
            case RopeScaling.Dynamic d -> lost.add("rope_type dynamic (factor " + shortest(d.factor()) + "): "
                    + "dropped by the converter (conversion/base.py:1321-1323); llama.cpp keeps θ at every length, "
                    + "HF grows it past max_position_embeddings " + spec.maxPositionEmbeddings());
            case RopeScaling.Yarn y -> {
                if (!y.truncate()) {
                    RopeScaling.Yarn.CorrectionRange r = y.correctionRange(spec.rotaryDim(), spec.ropeTheta());
                    float[] c = call.corrDims();
                    lost.add(String.format(Locale.ROOT, "truncate=false: not carried; ggml floors/ceils the "
                            + "correction range to [%s, %s], HF uses [%.3f, %.3f]", shortest(c[0]), shortest(c[1]),
                            r.low(), r.high()));
                }
                if (y.betaFast() != call.betaFast() || y.betaSlow() != call.betaSlow()) {
                    lost.add("beta_fast " + shortest(y.betaFast()) + ", beta_slow " + shortest(y.betaSlow())
                            + ": llama.cpp uses " + shortest(call.betaFast()) + " and " + shortest(call.betaSlow())
                            + " for " + a + " (the GGUF keys are read only for grok and mistral3)");
                }
                if (y.mscale() != 0 || y.mscaleAllDim() != 0) {
                    lost.add("mscale " + shortest(y.mscale()) + ", mscale_all_dim " + shortest(y.mscaleAllDim())
                            + ": the GGUF stores only yarn_log_multiplier = 0.1·mscale_all_dim; llama.cpp assumes "
                            + "mscale = mscale_all_dim when that is not 1, else 1 (llama-context.cpp:185-195)");
                }
                y.attentionFactor().ifPresent(af -> lost.add("attention_factor " + shortest(af) + ": written as "
                        + "rope.scaling.yarn_attn_factor but not read by llama.cpp"));
            }
            case RopeScaling.Llama3 l -> lost.add("llama3 bands (factor " + shortest(l.factor()) + ", low_freq_factor "
                    + shortest(l.lowFreqFactor()) + ", high_freq_factor " + shortest(l.highFreqFactor())
                    + ", original_max_position_embeddings " + l.originalMaxPositionEmbeddings() + "): not stored; "
                    + "only their effect, " + call.freqFactorsTensor().orElse("no factor tensor (lost)"));
            case RopeScaling.LongRope l -> lost.add("LongRoPE short/long switch: llama.cpp uses "
                    + call.freqFactorsTensor().orElse("no factors") + " for every position of an n_ctx " + "context"
                    + " (chosen once: long when pad(n_ctx, 256) > " + l.originalMaxPositionEmbeddings() + ", "
                    + "llama-model.cpp:2089-2102); HF switches per forward pass at " + l.originalMaxPositionEmbeddings()
                    + " tokens");
            default -> { }
        }
    }
}
