package dev.posenc.gguf;

import dev.posenc.config.AlibiEncoding;
import dev.posenc.config.ConfigException;
import dev.posenc.config.LearnedAbsoluteEncoding;
import dev.posenc.config.MRopeSection;
import dev.posenc.config.ModelGeometry;
import dev.posenc.config.ModelEncoding;
import dev.posenc.config.PositionConfig;
import dev.posenc.config.RopeEncoding;
import dev.posenc.config.T5Encoding;
import dev.posenc.querykey.RopeParameterException;
import dev.posenc.querykey.RopeScaling;
import dev.posenc.querykey.RopeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * What llama.cpp makes of a GGUF file's position metadata: its hyper-parameters as {@code llama_model::load_hparams}
 * reads them, and for a context size {@code n_ctx} the rope call of each layer as {@code llama_context} and the
 * graph derive it. All references are llama.cpp {@code 3f545beccee69d9975f466ec7e45fd9aacd8ba90}.
 *
 * <ul>
 *   <li>rope mode: {@code llama_model_rope_type()}, {@code src/llama-model.cpp:2652-2826} (NONE 2654-2677, NORM
 *       2679-2724, NEOX 2726-2798, MROPE 2803-2805, IMROPE 2806-2811);
 *   <li>{@code n_embd_head_k = n_embd / n_head}, overridden by {@code attention.key_length}; {@code n_rot =
 *       n_embd_head_k}, overridden by {@code rope.dimension_count}; llama, deci and falcon require them equal
 *       ({@code src/llama-model.cpp:1227-1242}); {@code rope.dimension_count_swa} on sliding layers
 *       ({@code 1256-1257}, {@code src/llama-hparams.cpp:85-91});
 *   <li>{@code n_ctx_orig_yarn = context_length}, overridden by {@code rope.scaling.original_context_length}
 *       ({@code 1117, 1198-1199});
 *   <li>{@code freq_base = rope.freq_base} (10000 when absent, {@code 1202-1203}); sliding layers use
 *       {@code rope.freq_base_swa} where the architecture reads it (gemma2.cpp:10-13, openai-moe.cpp:13-15,
 *       gemma3; cohere2's graph ignores it and rotates its sliding layers with {@code freq_base},
 *       {@code cohere2-iswa.cpp});
 *   <li>{@code freq_scale = 1/rope.scaling.factor} (else the old {@code rope.scale_linear}; 1 when neither or the
 *       scaling type is {@code none}; the type defaults to {@code linear}), {@code src/llama-model.cpp:880-899,
 *       1205-1217}, {@code src/llama-context.cpp:133, 163-170};
 *   <li>{@code ext_factor = 1} for YaRN, else 0 ({@code llama-context.cpp:172-174}; the GGUF key
 *       {@code rope.scaling.yarn_ext_factor} is not read);
 *   <li>{@code attn_factor} exactly as {@code llama-context.cpp:176-213}: with YaRN
 *       {@code get_mscale(1/s, m)/get_mscale(1/s, m_all)} ({@code m_all = rope.scaling.yarn_log_multiplier/0.1},
 *       deepseek2 only, {@code src/models/deepseek2.cpp:34-38}; {@code m = m_all} for deepseek2 when it is not 1,
 *       else 1) or {@code get_mscale(1/s, 1)}, times {@code 1/(1 + 0.1·ln(1/s))} (which ggml multiplies back), then
 *       always times {@code rope.scaling.attn_factor} (Phi-3 LongRoPE);
 *   <li>{@code beta_fast = 32}, {@code beta_slow = 1}: the GGUF keys are read only by grok and mistral3
 *       ({@code src/models/grok.cpp:26-27}, {@code mistral3.cpp:7-8});
 *   <li>factor tensor ({@code get_rope_factors}, {@code src/llama-model.cpp:2089-2102}): {@code rope_freqs.weight}
 *       if present, else {@code rope_factors_long.weight} when {@code n_ctx_seq > n_ctx_orig_yarn}, else
 *       {@code rope_factors_short.weight}, with {@code n_ctx_seq = pad(pad(n_ctx, 256), 256)}
 *       ({@code llama-context.cpp:288-295}); deepseek2 passes none;
 *   <li>M-RoPE sections: {@code rope.dimension_sections} (4 integers, required for qwen2vl/qwen3vl);
 *   <li>ALiBi: {@code attention.max_alibi_bias} (mpt), 8 for bloom ({@code bloom.cpp:18}); T5:
 *       {@code attention.relative_buckets_count} with max distance 128 ({@code llama-graph.cpp:3826}); BERT and GPT-2:
 *       learned absolute positions ({@code bert.cpp:101-102}).
 * </ul>
 *
 * <p>The accessors for the attention geometry of a layer ({@link #headCount(int)}, {@link #headCountKv(int)},
 * {@link #keyLength()}, {@link #isSlidingWindowLayer(int)}, {@link #usesRope(int)}, {@link #freqBase(int)}) are
 * what llama.cpp reads; immutable.
 */
public final class LlamaCppModel {
    private static final Set<String> NORM = Set.of("llama", "llama4", "deci", "baichuan", "starcoder",
            "internlm2", "minicpm", "xverse", "command-r", "cohere2", "olmo", "arctic", "deepseek", "deepseek2",
            "plm", "chatglm", "glm4", "granite", "granitemoe", "granitehybrid", "chameleon", "bailingmoe",
            "neo-bert", "smollm3", "arcee", "ernie4_5", "ernie4_5-moe", "mistral3", "orion");
    private static final Set<String> NEOX = Set.of("falcon", "falcon-h1", "grok", "dbrx", "bert", "jina-bert-v3",
            "nomic-bert", "nomic-bert-moe", "stablelm", "bitnet", "qwen", "qwen2", "qwen2moe", "qwen3", "qwen3moe",
            "olmo2", "olmoe", "phi2", "phi3", "phimoe", "plamo", "plamo2", "gemma", "gemma2", "gemma3", "gemma3n",
            "gemma-embedding", "starcoder2", "openelm", "gptneox", "codeshell", "nemotron", "exaone", "exaone4",
            "minicpm3", "dots1", "hunyuan-moe", "gpt-oss", "hunyuan-dense", "lfm2", "smallthinker", "glm4moe",
            "seed_oss");
    private static final Set<String> NO_ROPE = Set.of("gpt2", "gptj", "mpt", "refact", "bloom", "t5", "t5encoder",
            "jais", "jina-bert-v2", "mamba", "mamba2", "rwkv6", "rwkv7");

    private final GgufFile file;
    private final String arch;
    private final int nCtxTrain;
    private final int nEmbd;
    private final int nLayer;
    private final long[] nHead;
    private final long[] nHeadKv;
    private final int nEmbdHeadK;
    private final int nRot;
    private final int nRotSwa;
    private final int nCtxOrigYarn;
    private final float freqBaseTrain;
    private final float freqBaseTrainSwa;
    private final float freqScaleTrain;
    private final float freqScaleTrainSwa;
    private final String scalingType;
    private final float ropeAttnFactor;
    private final float yarnLogMul;
    private final float betaFast;
    private final float betaSlow;
    private final int[] sections;
    private final int swaPattern;
    private final int slidingWindow;
    private final int noRopeLayerStep;
    private final int mode;
    private final List<String> warnings = new ArrayList<>();

    private LlamaCppModel(GgufFile file) {
        this.file = file;
        arch = file.string("general.architecture").orElseThrow(() -> new ConfigException(file.source()
                + ": general.architecture: expected a STRING naming the architecture, got no such key"));
        if (!arch.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new ConfigException(file.source() + ": general.architecture: expected an architecture name "
                    + "(letters, digits, '_', '.', '-'), got \"" + GgufFile.printable(arch) + "\"");
        }
        nCtxTrain = (int) uint("context_length", -1, 1);
        nEmbd = (int) uint("embedding_length", -1, 1);
        nLayer = (int) uint("block_count", 0, 0);
        nHead = perLayer("attention.head_count", -1);
        nHeadKv = perLayer("attention.head_count_kv", nHead[0]);
        long headK = has("attention.key_length") ? uint("attention.key_length", -1, 1)
                : nHead[0] > 0 && nEmbd % nHead[0] == 0 ? nEmbd / nHead[0] : -1;
        if (headK < 1) {
            throw new ConfigException(file.source() + ": " + arch + ".attention.key_length: expected it (or an "
                    + "embedding_length divisible by attention.head_count " + nHead[0] + "), got neither");
        }
        nEmbdHeadK = (int) headK;
        nRot = (int) uint("rope.dimension_count", nEmbdHeadK, 0);
        nRotSwa = (int) uint("rope.dimension_count_swa", nRot, 0);
        nCtxOrigYarn = (int) uint("rope.scaling.original_context_length", nCtxTrain, 1);
        freqBaseTrain = real("rope.freq_base", 10000f);
        scalingType = has("rope.scaling.type") ? text("rope.scaling.type") : "linear";
        if (!Set.of("none", "linear", "yarn", "longrope").contains(scalingType)) {
            throw new ConfigException(file.source() + ": " + arch + ".rope.scaling.type: expected none, linear, "
                    + "yarn or longrope (llama-model.cpp:880-899), got \"" + scalingType + "\"");
        }
        float ropeScale = has("rope.scaling.factor") ? real("rope.scaling.factor", 0f)
                : real("rope.scale_linear", 0f);
        freqScaleTrain = ropeScale == 0f ? 1.0f : 1.0f / ropeScale;
        ropeAttnFactor = real("rope.scaling.attn_factor", 1.0f);
        yarnLogMul = arch.equals("deepseek2") ? real("rope.scaling.yarn_log_multiplier", 0f) / 0.1f : 0f;
        boolean readsBetas = arch.equals("grok") || arch.equals("mistral3");
        betaFast = readsBetas ? real("rope.scaling.yarn_beta_fast", 32f) : 32f;
        betaSlow = readsBetas ? real("rope.scaling.yarn_beta_slow", 1f) : 1f;
        slidingWindow = (int) uint("attention.sliding_window", 0, 0);
        switch (arch) {
            case "gemma2", "gpt-oss" -> {
                swaPattern = 2;
                freqBaseTrainSwa = real("rope.freq_base_swa", freqBaseTrain);
                freqScaleTrainSwa = freqScaleTrain;
            }
            case "cohere2" -> {
                // cohere2-iswa.cpp rotates its sliding layers with the global freq_base (freq_base_l is unused)
                swaPattern = (int) uint("attention.sliding_window_pattern", 4, 0);
                freqBaseTrainSwa = freqBaseTrain;
                freqScaleTrainSwa = freqScaleTrain;
            }
            case "gemma3" -> {
                swaPattern = 6;
                freqBaseTrainSwa = real("rope.freq_base_swa", 10000f);
                freqScaleTrainSwa = 1.0f;
            }
            case "llama4" -> {
                swaPattern = 4;
                freqBaseTrainSwa = freqBaseTrain;
                freqScaleTrainSwa = freqScaleTrain;
            }
            default -> {
                swaPattern = -1;
                freqBaseTrainSwa = freqBaseTrain;
                freqScaleTrainSwa = freqScaleTrain;
            }
        }
        noRopeLayerStep = arch.equals("llama4") ? (int) uint("no_rope_layer_step", 4, 0) : 0;
        if (NORM.contains(arch)) {
            mode = GgmlRopeCall.NORMAL;
        } else if (NEOX.contains(arch)) {
            mode = GgmlRopeCall.NEOX;
        } else if (arch.equals("qwen2vl")) {
            mode = GgmlRopeCall.MROPE;
        } else if (arch.equals("qwen3vl") || arch.equals("qwen3vlmoe")) {
            mode = GgmlRopeCall.IMROPE;
        } else if (NO_ROPE.contains(arch)) {
            mode = -1;
        } else {
            throw new ConfigException(file.source() + ": general.architecture: expected an architecture whose "
                    + "rope type posenc knows from llama_model_rope_type (llama-model.cpp:2652-2826), got \""
                    + GgufFile.printable(arch) + "\"");
        }
        if (mode == GgmlRopeCall.MROPE || mode == GgmlRopeCall.IMROPE) {
            sections = sectionsOf("rope.dimension_sections");
        } else {
            sections = new int[4];
        }
        if (mode >= 0 && (nRot < 2 || nRot % 2 != 0 || nRot > nEmbdHeadK)) {
            throw new ConfigException(file.source() + ": " + arch + ".rope.dimension_count: expected an even "
                    + "number in [2, key_length " + nEmbdHeadK + "], got " + nRot);
        }
        if (mode >= 0 && Set.of("llama", "deci", "falcon").contains(arch) && nRot != nEmbdHeadK) {
            throw new ConfigException(file.source() + ": " + arch + ".rope.dimension_count: expected the head "
                    + "size " + nEmbdHeadK + " (llama.cpp requires it for " + arch + ", llama-model.cpp:1236-1242), "
                    + "got " + nRot);
        }
    }

    /** Reads what llama.cpp would of {@code file}. */
    public static LlamaCppModel of(GgufFile file) {
        return new LlamaCppModel(Objects.requireNonNull(file, "file"));
    }

    String key(String k) {
        return arch + "." + k;
    }

    boolean has(String k) {
        return file.metadata().containsKey(key(k));
    }

    long uint(String k, long dflt, long min) {
        GgufValue v = file.metadata().get(key(k));
        if (v == null) {
            if (dflt < 0) {
                throw new ConfigException(file.source() + ": " + key(k) + ": expected an integer, got no such key");
            }
            return dflt;
        }
        if (!(v instanceof GgufValue.Int i) || i.value() < min || i.value() > Integer.MAX_VALUE) {
            throw file.typeError(key(k), "an integer in [" + min + ", " + Integer.MAX_VALUE + "]", v);
        }
        return i.value();
    }

    private long[] perLayer(String k, long dflt) {
        GgufValue v = file.metadata().get(key(k));
        if (v instanceof GgufValue.Array a && a.elementType() != GgufType.ARRAY && !a.elements().isEmpty()) {
            long[] out = new long[a.elements().size()];
            for (int i = 0; i < out.length; i++) {
                if (!(a.elements().get(i) instanceof GgufValue.Int e) || e.value() < 0
                        || e.value() > Integer.MAX_VALUE) {
                    throw file.typeError(key(k) + "[" + i + "]", "a non-negative integer", a.elements().get(i));
                }
                out[i] = e.value();
            }
            return out;
        }
        return new long[] {uint(k, dflt, 0)};
    }

    float real(String k, float dflt) {
        GgufValue v = file.metadata().get(key(k));
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof GgufValue.Real r) || !Float.isFinite((float) r.value())) {
            throw file.typeError(key(k), "a finite FLOAT32", v);
        }
        return (float) r.value();
    }

    private String text(String k) {
        return file.string(key(k)).orElseThrow();
    }

    private int[] sectionsOf(String k) {
        GgufValue v = file.metadata().get(key(k));
        if (!(v instanceof GgufValue.Array a) || a.elements().size() < 3 || a.elements().size() > 4) {
            throw new ConfigException(file.source() + ": " + key(k) + ": expected 4 integers (M-RoPE sections), got "
                    + (v == null ? "no such key" : v.type() + " " + v));
        }
        int[] s = new int[4];
        for (int i = 0; i < a.elements().size(); i++) {
            if (!(a.elements().get(i) instanceof GgufValue.Int e) || e.value() < 0 || e.value() > nRot) {
                throw file.typeError(key(k) + "[" + i + "]", "an integer in [0, " + nRot + "]", a.elements().get(i));
            }
            s[i] = (int) e.value();
        }
        if (Arrays.stream(s).sum() == 0) {
            throw new ConfigException(file.source() + ": " + key(k) + ": expected sections with a positive sum, got "
                    + Arrays.toString(s));
        }
        return s;
    }

    /** The file read. */
    public GgufFile file() {
        return file;
    }

    /** {@code general.architecture}, the key prefix. */
    public String architecture() {
        return arch;
    }

    /** {@code context_length} ({@code n_ctx_train}), also llama.cpp's default {@code n_ctx}. */
    public int contextLength() {
        return nCtxTrain;
    }

    /** {@code embedding_length}. */
    public int embeddingLength() {
        return nEmbd;
    }

    /** {@code block_count} (0 when absent). */
    public int blockCount() {
        return nLayer;
    }

    /** Query heads of layer {@code il} ({@code attention.head_count}, a scalar or one per layer). */
    public int headCount(int il) {
        return (int) (nHead.length == 1 ? nHead[0] : nHead[il]);
    }

    /** KV heads of layer {@code il} ({@code attention.head_count_kv}, default the query heads). */
    public int headCountKv(int il) {
        return (int) (nHeadKv.length == 1 ? nHeadKv[0] : nHeadKv[il]);
    }

    /** {@code n_embd_head_k}: {@code attention.key_length}, else {@code embedding_length / head_count}. */
    public int keyLength() {
        return nEmbdHeadK;
    }

    /** {@code attention.sliding_window} (0 when absent). */
    public int slidingWindow() {
        return slidingWindow;
    }

    /**
     * Whether layer {@code il} slides (or is chunked, Llama 4): {@code set_swa_pattern(n)} makes layer {@code il}
     * sliding when {@code il % n < n − 1} (gemma2 and gpt-oss n = 2, cohere2 4 or
     * {@code attention.sliding_window_pattern}, gemma3 6, llama4 4); never for other architectures (phi3's loader
     * disables its window, {@code phi3.cpp:13-24}).
     */
    public boolean isSlidingWindowLayer(int il) {
        return swaPattern > 0 && il % swaPattern < swaPattern - 1;
    }

    /**
     * False for Llama 4's NoPE layers ({@code (il + 1) % no_rope_layer_step == 0}), Cohere 2's full-attention layers
     * ({@code cohere2-iswa.cpp} rotates only {@code if (is_swa)}) and models without RoPE.
     */
    public boolean usesRope(int il) {
        if (arch.equals("cohere2") && !isSlidingWindowLayer(il)) {
            return false;
        }
        return mode >= 0 && (noRopeLayerStep == 0 || (il + 1) % noRopeLayerStep != 0);
    }

    /**
     * The layer whose rope describes the model: the first full-attention layer that rotates, else the first layer
     * that rotates (Cohere 2 rotates its sliding layers only), else 0.
     */
    public int firstRopeLayer() {
        int layers = Math.max(1, nLayer);
        for (int il = 0; il < layers; il++) {
            if (!isSlidingWindowLayer(il) && usesRope(il)) {
                return il;
            }
        }
        for (int il = 0; il < layers; il++) {
            if (usesRope(il)) {
                return il;
            }
        }
        return 0;
    }

    /** {@code n_embd_head_v}: {@code attention.value_length}, else {@code embedding_length / head_count}. */
    public int valueLength() {
        long dflt = nHead[0] > 0 && nEmbd % nHead[0] == 0 ? nEmbd / nHead[0] : nEmbdHeadK;
        return (int) uint("attention.value_length", dflt, 1);
    }

    /**
     * DeepSeek-2-style MLA: the query/key head size after decompression, {@code attention.key_length_mla}
     * ({@code n_embd_head_k_mla}), else {@link #keyLength()} (files written before MLA was absorbed).
     */
    public int keyLengthMla() {
        return (int) uint("attention.key_length_mla", nEmbdHeadK, 1);
    }

    /** As {@link #keyLengthMla()}, for values: {@code attention.value_length_mla}, else {@link #valueLength()}. */
    public int valueLengthMla() {
        return (int) uint("attention.value_length_mla", valueLength(), 1);
    }

    /** {@code rope_yarn_log_mul}: {@code rope.scaling.yarn_log_multiplier / 0.1} for deepseek2, else 0. */
    float yarnLogMultiplier() {
        return yarnLogMul;
    }

    /**
     * Every layer's attention geometry as llama.cpp builds its graph, for a context of {@code nCtx} tokens (0:
     * {@link #contextLength()}): the same {@link ModelGeometry} as {@link dev.posenc.config.HfConfig#loadGeometry}
     * gives for a config.json, each layer's rope the one {@link #ropeCall(int, int)} makes.
     *
     * @throws ConfigException for a model without RoPE, or head counts and sizes llama.cpp could not build
     */
    public ModelGeometry geometry(int nCtx) {
        if (nCtx < 0) {
            throw new IllegalArgumentException("n_ctx: expected 0 (default) or a positive integer, got " + nCtx);
        }
        return LlamaCppGeometry.read(this, nCtx);
    }

    /** The raw per-layer arrays' lengths: 1 for a scalar {@code head_count}/{@code head_count_kv}. */
    int headCountEntries(boolean kv) {
        return kv ? nHeadKv.length : nHead.length;
    }

    /** The rope base of layer {@code il} ({@code rope.freq_base_swa} on sliding layers where read). */
    public float freqBase(int il) {
        return isSlidingWindowLayer(il) ? freqBaseTrainSwa : freqBaseTrain;
    }

    /** The rotated dimensions of layer {@code il}. */
    public int ropeDimensions(int il) {
        return isSlidingWindowLayer(il) ? nRotSwa : nRot;
    }

    /** {@code rope.scaling.type} as llama.cpp reads it ({@code linear} when absent). */
    public String ropeScalingType() {
        return scalingType;
    }

    /** The rope mode: 0 NORMAL, 2 NEOX, 8 MROPE, 40 IMROPE, −1 none. */
    public int ropeMode() {
        return mode;
    }

    /** Whether the model rotates with RoPE at all. */
    public boolean hasRope() {
        return mode >= 0;
    }

    /** What llama.cpp did not read although the file has it, or assumed: one line each. */
    public List<String> warnings() {
        List<String> out = new ArrayList<>(warnings);
        for (String k : List.of("rope.scaling.yarn_beta_fast", "rope.scaling.yarn_beta_slow")) {
            if (has(k) && !arch.equals("grok") && !arch.equals("mistral3")) {
                out.add(key(k) + ": written but not read by llama.cpp for " + arch + " (it uses "
                        + (k.endsWith("fast") ? "32" : "1") + ", llama-hparams.h:147-148)");
            }
        }
        for (String k : List.of("rope.scaling.yarn_attn_factor", "rope.scaling.yarn_ext_factor")) {
            if (has(k)) {
                out.add(key(k) + ": written but not read by llama.cpp (llama-context.cpp:113-114)");
            }
        }
        return out;
    }

    /**
     * The rope call of layer {@code il} for a context of {@code nCtx} tokens (llama.cpp's {@code n_ctx}; 0 means
     * {@link #contextLength()}, as llama.cpp defaults it).
     *
     * @throws IllegalStateException when layer {@code il} does not rotate ({@link #usesRope(int)})
     */
    public GgmlRopeCall ropeCall(int nCtx, int il) {
        if (!usesRope(il)) {
            throw new IllegalStateException(arch + " layer " + il + " uses no rope");
        }
        int ctx = nCtx == 0 ? nCtxTrain : nCtx;
        boolean swa = isSlidingWindowLayer(il);
        float freqScale = scalingType.equals("none") ? 1.0f : swa ? freqScaleTrainSwa : freqScaleTrain;
        float extFactor = scalingType.equals("yarn") ? 1.0f : 0.0f;
        float attnFactor = 1.0f;
        if (extFactor != 0) {
            float factor = 1.0f / freqScale;
            if (yarnLogMul != 0) {
                float mscale = 1.0f;
                float mscaleAllDims = yarnLogMul;
                if (arch.equals("deepseek2") && mscaleAllDims != 1.0f) {
                    mscale = mscaleAllDims;
                }
                attnFactor = getMscale(factor, mscale) / getMscale(factor, mscaleAllDims);
            } else {
                attnFactor = getMscale(factor, 1.0f);
            }
            attnFactor *= 1.0f / (1.0f + 0.1f * (float) Math.log(factor));
        }
        attnFactor *= ropeAttnFactor;
        int n = swa ? nRotSwa : nRot;
        Optional<String> tensor = Optional.empty();
        if (!arch.equals("deepseek2")) {
            long nCtxSeq = pad(pad(ctx, 256), 256);
            if (file.tensor("rope_freqs.weight").isPresent()) {
                tensor = Optional.of("rope_freqs.weight");
            } else {
                String name = nCtxSeq > nCtxOrigYarn ? "rope_factors_long.weight" : "rope_factors_short.weight";
                tensor = file.tensor(name).map(GgufTensorInfo::name);
            }
        }
        float[] ff = new float[0];
        if (tensor.isPresent()) {
            GgufTensorInfo t = file.tensor(tensor.get()).orElseThrow();
            if (t.elementCount() != n / 2) {
                throw new ConfigException(file.source() + ": byte " + t.fileOffset() + ": tensor " + t.name()
                        + ": expected n_rot/2 = " + n / 2 + " F32 values, got " + t.type() + " "
                        + Arrays.toString(t.dims()));
            }
            ff = file.readF32(t.name());
            for (int i = 0; i < ff.length; i++) {
                if (!(ff[i] > 0) || !Float.isFinite(ff[i])) {
                    throw new ConfigException(file.source() + ": byte " + (t.fileOffset() + 4L * i) + ": tensor "
                            + t.name() + "[" + i + "]: expected a finite factor > 0, got " + ff[i]);
                }
            }
        }
        return new GgmlRopeCall(mode == GgmlRopeCall.MROPE || mode == GgmlRopeCall.IMROPE, n, mode, nCtxOrigYarn,
                swa ? freqBaseTrainSwa : freqBaseTrain, freqScale, extFactor, attnFactor, betaFast, betaSlow,
                sections, tensor, ff);
    }

    private static long pad(long x, int n) {
        return (x + n - 1) / n * n;
    }

    private static float getMscale(float scale, float mscale) {
        return scale <= 1.0f ? 1.0f : (0.1f * mscale * (float) Math.log(scale) + 1.0f);
    }

    /**
     * The position encoding in posenc's terms for a context of {@code nCtx} tokens (0: {@link #contextLength()}):
     * the rope of the first layer that rotates (full-attention layers first), as a {@link RopeSpec} whose
     * frequencies are llama.cpp's up to float rounding: NORMAL/NEOX → interleaved/half layout; a factor tensor
     * with {@code freq_scale = 1} → {@link RopeScaling.LongRope} with those factors both short and long (llama.cpp
     * chose them once for {@code n_ctx}); YaRN → {@link RopeScaling.Yarn} with the truncated correction range,
     * betas 32/1 and ggml's whole magnitude as the attention factor; a plain {@code freq_scale} →
     * {@link RopeScaling.Linear}. For the exact ggml call use {@link #ropeCall(int, int)}.
     */
    public PositionConfig positionConfig(int nCtx) {
        List<String> notes = warnings();
        ModelEncoding encoding = switch (arch) {
            case "bert", "gpt2" -> new LearnedAbsoluteEncoding(nCtxTrain);
            case "mpt" -> {
                float maxBias = real("attention.max_alibi_bias", 0f);
                if (!(maxBias > 0)) {
                    throw new ConfigException(file.source() + ": " + key("attention.max_alibi_bias")
                            + ": expected a FLOAT32 > 0 (MPT's ALiBi), got " + maxBias);
                }
                yield new AlibiEncoding(headCount(0), maxBias);
            }
            case "bloom", "refact", "jais" -> new AlibiEncoding(headCount(0), 8.0);
            case "t5", "t5encoder" -> new T5Encoding((int) uint("attention.relative_buckets_count", 32, 1), 128,
                    headCount(0));
            default -> {
                if (!hasRope()) {
                    throw new ConfigException(file.source() + ": general.architecture: expected a model whose "
                            + "position encoding posenc reads, got \"" + GgufFile.printable(arch)
                            + "\" (no rope in llama.cpp)");
                }
                yield rope(nCtx, notes);
            }
        };
        return new PositionConfig(file.source(), arch, encoding, notes);
    }

    private RopeEncoding rope(int nCtx, List<String> notes) {
        return new RopeEncoding(layerSpec(nCtx, firstRopeLayer(), notes), Optional.empty(), java.util.Map.of(),
                mropeSection());
    }

    /**
     * The {@link RopeSpec} of layer {@code il}'s rope call ({@link #ropeCall(int, int)}), as {@link #positionConfig}
     * describes it: its head size is {@code n_rot} for deepseek2 (llama.cpp rotates the {@code q_pe}/{@code k_pe}
     * views, {@code src/models/deepseek2.cpp:541,561}), else {@code n_embd_head_k}.
     */
    RopeSpec layerSpec(int nCtx, int il, List<String> notes) {
        GgmlRopeCall call = ropeCall(nCtx, il);
        int headDim = arch.equals("deepseek2") ? call.nDims() : nEmbdHeadK;
        try {
            return toSpec(call, headDim, notes);
        } catch (RopeParameterException e) {
            throw new ConfigException(file.source() + ": " + arch + ".rope: " + e.getMessage(), e);
        }
    }

    /** The M-RoPE sections without trailing zeros (qwen2vl, qwen3vl), empty for {@code ggml_rope_ext} models. */
    Optional<MRopeSection> mropeSection() {
        if (mode != GgmlRopeCall.MROPE && mode != GgmlRopeCall.IMROPE) {
            return Optional.empty();
        }
        int used = 4;
        while (used > 0 && sections[used - 1] == 0) {
            used--;
        }
        return Optional.of(new MRopeSection(Arrays.copyOf(sections, used), mode == GgmlRopeCall.IMROPE));
    }

    private RopeSpec toSpec(GgmlRopeCall call, int headDim, List<String> notes) {
        double s = 1.0 / call.freqScale();
        RopeScaling scaling;
        float[] ff = call.freqFactors();
        if (call.extFactor() != 0) {
            if (ff.length != 0) {
                notes.add(key("rope") + ": YaRN with a factor tensor has no Hugging Face rope type; the frequencies "
                        + "shown ignore " + call.freqFactorsTensor().get());
            }
            scaling = new RopeScaling.Yarn(s, call.nCtxOrig(), call.betaFast(), call.betaSlow(), true,
                    OptionalDouble.of(call.mscale()), 0, 0);
        } else if (ff.length != 0 || call.attnFactor() != 1.0f) {
            if (ff.length == 0) {
                ff = new float[call.nDims() / 2];
                Arrays.fill(ff, 1.0f);
            }
            if (call.freqScale() != 1.0f) {
                for (int i = 0; i < ff.length; i++) {
                    ff[i] = (float) (ff[i] * s);
                }
            }
            scaling = new RopeScaling.LongRope(ff, ff, call.nCtxOrig(), 1.0, OptionalDouble.of(call.attnFactor()));
        } else if (call.freqScale() != 1.0f) {
            scaling = new RopeScaling.Linear(s);
        } else {
            scaling = new RopeScaling.Default();
        }
        return new RopeSpec(headDim, call.nDims(), call.layout(), call.freqBase(), nCtxTrain, scaling);
    }
}
