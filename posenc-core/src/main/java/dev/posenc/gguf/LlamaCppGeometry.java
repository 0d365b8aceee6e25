package dev.posenc.gguf;

import dev.posenc.config.AttentionTemperature;
import dev.posenc.config.ConfigException;
import dev.posenc.config.LayerAttention;
import dev.posenc.config.LayerEncoding;
import dev.posenc.config.ModelGeometry;
import dev.posenc.config.PositionConfig;
import dev.posenc.config.RopeEncoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The attention geometry of each layer as llama.cpp builds its graph from a GGUF file: the counterpart of
 * {@code config.GeometryReader} for {@link LlamaCppModel}. References are llama.cpp {@code 3f545bec} where the shared
 * fixtures' INDEX gives lines; {@code file@commit:line} names the upstream version read where it does not.
 *
 * <ul>
 *   <li>heads: {@code attention.head_count} and {@code attention.head_count_kv}, a scalar or one entry per layer
 *       ({@code get_key_or_arr}, {@code llama-model.cpp}); head sizes {@code n_embd_head_k}
 *       ({@code attention.key_length}) and {@code n_embd_head_v} ({@code attention.value_length}), both
 *       {@code n_embd / n_head} by default ({@code llama-model.cpp:1227-1228});
 *   <li>DeepSeek-2-style MLA (deepseek2; DeepSeek-V3, Kimi K2): the converter writes the absorbed form
 *       ({@code key_length} = {@code kv_lora_rank + n_rot} = 576, {@code head_count_kv} 1); the decompressed heads
 *       are {@code key_length_mla} = {@code qk_nope + qk_rope} and {@code value_length_mla}, with one key head per
 *       query head ("MLA without the absorption optimization converts into MHA",
 *       {@code src/models/deepseek2.cpp@07bede6a:6-12,143-177}); the rope acts on the last {@code n_rot} columns of
 *       each query head ({@code q_pe}) and on the one shared {@code k_pe} head ({@code deepseek2.cpp:541,561});
 *   <li>the layer's rope: {@link LlamaCppModel#ropeCall(int, int)} (its base, {@code rope.freq_base_swa} on gemma2,
 *       gemma3 and gpt-oss sliding layers, its rotated dimensions, its factors), as a {@code RopeSpec} the way
 *       {@link LlamaCppModel#positionConfig(int)} describes one; NoPE where {@link LlamaCppModel#usesRope(int)} is
 *       false (Llama 4's every {@code no_rope_layer_step}-th layer, Cohere 2's full-attention layers);
 *   <li>sliding layers: {@link LlamaCppModel#isSlidingWindowLayer(int)} with {@code attention.sliding_window}
 *       (gemma2 default 4096, {@code src/models/gemma2.cpp@82234e08:5,14}); Llama 4's are chunked, 8192 tokens,
 *       hard-coded, with the attention temperature (floor 8192, scale 0.1) on its NoPE layers
 *       ({@code llama-model.cpp}, {@code case LLM_ARCH_LLAMA4}); phi3 writes a window that its loader disables
 *       ({@code phi3.cpp:13-24}), and the llama architecture (Mistral) has no sliding window at all;
 *   <li>softmax scale, in float as llama.cpp computes it: {@code attention.scale} ({@code f_attention_scale}) where
 *       the graph reads it (llama, llama4, granite: {@code kq_scale = f_attention_scale == 0 ? 1/sqrt(n_embd_head) :
 *       f_attention_scale}, {@code src/models/granite.cpp}), else {@code 1/sqrt(n_embd_head_k)}; gpt-oss
 *       {@code 1/sqrt(n_rot)} ({@code openai-moe-iswa.cpp} {@code build_attn}); gemma2 and gemma3 scale the query by
 *       {@code f_attention_scale = type == 27B ? 1/sqrt(n_embd / n_head) : 1/sqrt(n_embd_head_k)}, the model type
 *       coming from the layer count (gemma2 46 layers, gemma3 62 are 27B; {@code gemma2.cpp@82234e08:19-29}, the
 *       gemma3 case of {@code llama-model.cpp}): the GGUF carries no {@code query_pre_attn_scalar}; deepseek2
 *       {@code kq_scale = mscale² / sqrt(key_length_mla)} with {@code mscale = attn_factor·(1 + 0.1·ln(1/freq_scale))
 *       · (1 + 0.1·rope_yarn_log_mul·ln(1/freq_scale))} ({@code deepseek2.cpp:443-448});
 *   <li>logit soft-capping: gemma2's {@code attn_logit_softcapping} (default 50, {@code gemma2.cpp@82234e08:9,16}).
 * </ul>
 */
final class LlamaCppGeometry {
    /** Llama 4's chunk size and attention temperature, hard-coded by llama.cpp's loader. */
    private static final int LLAMA4_CHUNK = 8192;
    private static final double LLAMA4_TEMP_FLOOR = 8192;
    private static final double LLAMA4_TEMP_SCALE = 0.1;

    private final LlamaCppModel model;
    private final String source;
    private final String arch;

    private LlamaCppGeometry(LlamaCppModel model) {
        this.model = model;
        this.source = model.file().source();
        this.arch = model.architecture();
    }

    static ModelGeometry read(LlamaCppModel model, int nCtx) {
        return new LlamaCppGeometry(model).geometry(nCtx);
    }

    private ModelGeometry geometry(int nCtx) {
        PositionConfig config = model.positionConfig(nCtx);
        if (!(config.encoding() instanceof RopeEncoding)) {
            throw new ConfigException(source + ": general.architecture: expected a RoPE model for the per-layer "
                    + "attention geometry, got \"" + arch + "\" (" + config.encoding().kind() + ")");
        }
        int layers = model.blockCount();
        if (layers < 1) {
            throw new ConfigException(source + ": " + model.key("block_count") + ": expected a positive integer "
                    + "(the number of layers), got " + (model.has("block_count") ? "0" : "no such key"));
        }
        for (boolean kv : new boolean[] {false, true}) {
            int entries = model.headCountEntries(kv);
            if (entries != 1 && entries != layers) {
                throw new ConfigException(source + ": " + model.key(kv ? "attention.head_count_kv"
                        : "attention.head_count") + ": expected one integer or one per layer (block_count "
                        + layers + "), got an array of " + entries);
            }
        }
        boolean mla = arch.equals("deepseek2");
        int qkHeadDim = mla ? model.keyLengthMla() : model.keyLength();
        int vHeadDim = mla ? model.valueLengthMla() : model.valueLength();
        List<String> notes = new ArrayList<>(config.warnings());
        List<LayerAttention> out = new ArrayList<>(layers);
        for (int il = 0; il < layers; il++) {
            int q = model.headCount(il);
            int kv = mla ? q : model.headCountKv(il);
            if (q < 1) {
                throw new ConfigException(source + ": " + model.key("attention.head_count") + "[" + il + "]: expected "
                        + "a positive integer (posenc's geometry needs attention in every layer), got " + q);
            }
            if (kv < 1 || q % kv != 0) {
                throw new ConfigException(source + ": " + model.key("attention.head_count_kv") + "[" + il + "]: "
                        + "expected a positive divisor of the " + q + " query heads, got " + kv);
            }
            boolean swa = model.isSlidingWindowLayer(il);
            boolean chunked = swa && arch.equals("llama4");
            LayerEncoding encoding = model.usesRope(il) ? rotary(nCtx, il, qkHeadDim, mla, notes)
                    : new LayerEncoding.NoPE(arch.equals("cohere2")
                            ? "Cohere 2: llama.cpp rotates its sliding layers only (cohere2-iswa.cpp)"
                            : "Llama 4: llama.cpp skips RoPE on every no_rope_layer_step-th layer");
            OptionalInt window = swa && !chunked ? OptionalInt.of(window()) : OptionalInt.empty();
            OptionalInt chunk = chunked ? OptionalInt.of(LLAMA4_CHUNK) : OptionalInt.empty();
            Optional<AttentionTemperature> temperature = arch.equals("llama4") && !model.usesRope(il)
                    ? Optional.of(new AttentionTemperature(LLAMA4_TEMP_FLOOR, LLAMA4_TEMP_SCALE)) : Optional.empty();
            String type = chunked ? "chunked_attention" : swa ? "sliding_attention" : "full_attention";
            out.add(new LayerAttention(il, type, q, kv, qkHeadDim, vHeadDim, encoding,
                    softmaxScale(nCtx, il, qkHeadDim), window, chunk, softcap(), temperature));
        }
        return new ModelGeometry(new PositionConfig(config.source(), config.modelType(), config.encoding(), notes),
                out);
    }

    private LayerEncoding.Rotary rotary(int nCtx, int il, int qkHeadDim, boolean mla, List<String> notes) {
        var spec = model.layerSpec(nCtx, il, new ArrayList<>());
        int offset = mla ? qkHeadDim - spec.headDim() : 0;
        if (offset < 0 || spec.headDim() > qkHeadDim) {
            throw new ConfigException(source + ": " + model.key(mla ? "attention.key_length_mla"
                    : "attention.key_length") + ": expected at least rope.dimension_count " + spec.headDim()
                    + " (the rotated part of each head), got " + qkHeadDim);
        }
        return new LayerEncoding.Rotary(spec, offset, mla, model.mropeSection());
    }

    /** {@code attention.sliding_window}: required where layers slide, except gemma2 (default 4096). */
    private int window() {
        long w = model.uint("attention.sliding_window", arch.equals("gemma2") ? 4096 : 0, 0);
        if (w < 1) {
            throw new ConfigException(source + ": " + model.key("attention.sliding_window") + ": expected a positive "
                    + "integer (" + arch + " has sliding-window layers), got " + (model.has("attention.sliding_window")
                    ? String.valueOf(w) : "no such key"));
        }
        return (int) w;
    }

    private double softmaxScale(int nCtx, int il, int qkHeadDim) {
        float scale = switch (arch) {
            case "gemma2", "gemma3" -> {
                boolean is27b = model.blockCount() == (arch.equals("gemma2") ? 46 : 62);
                yield is27b ? 1.0f / (float) Math.sqrt((float) (model.embeddingLength() / model.headCount(0)))
                        : 1.0f / (float) Math.sqrt((float) model.keyLength());
            }
            case "gpt-oss" -> 1.0f / (float) Math.sqrt((float) model.ropeDimensions(il));
            case "deepseek2" -> {
                // deepseek2.cpp:443-448: undo the YaRN magnitude ggml multiplies in, then mscale² / sqrt(head)
                GgmlRopeCall call = model.ropeCall(nCtx, model.firstRopeLayer());
                float attnFactorOrg = call.attnFactor() * (1.0f + 0.1f * (float) Math.log(1.0f / call.freqScale()));
                float mscale = attnFactorOrg * (1.0f + 0.1f * model.yarnLogMultiplier()
                        * (float) Math.log(1.0f / call.freqScale()));
                yield mscale * mscale / (float) Math.sqrt((float) qkHeadDim);
            }
            case "llama", "llama4", "granite", "granitemoe", "granitehybrid" -> {
                float f = model.real("attention.scale", 0f);
                yield f != 0f ? f : 1.0f / (float) Math.sqrt((float) model.keyLength());
            }
            default -> 1.0f / (float) Math.sqrt((float) model.keyLength());
        };
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new ConfigException(source + ": " + model.key("attention.scale") + ": expected a softmax scale "
                    + "> 0, got " + scale);
        }
        return scale;
    }

    private OptionalDouble softcap() {
        if (!arch.equals("gemma2")) {
            return OptionalDouble.empty();
        }
        float cap = model.real("attn_logit_softcapping", 50.0f);
        if (!(cap > 0)) {
            throw new ConfigException(source + ": " + model.key("attn_logit_softcapping") + ": expected a FLOAT32 "
                    + "> 0, got " + cap);
        }
        return OptionalDouble.of(cap);
    }
}
