package dev.posenc.config;

import dev.posenc.querykey.RopeLayout;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The model families posenc reads, keyed by {@code model_type}, with the decisions taken for each after reading its
 * Hugging Face configuration and modeling files (transformers v5 main unless noted) or, where HF has no
 * implementation, the model's remote code. The layout is the one the family's attention code applies: HF
 * {@code rotate_half} is {@link RopeLayout#HALF}; {@code rotate_every_two}, complex multiplication and
 * {@code repeat_interleave(2)} are {@link RopeLayout#INTERLEAVED}.
 */
enum ModelFamily {
    /**
     * llama, mistral, mixtral, qwen2(_moe), qwen3(_moe), gemma, gemma2, internlm2, gpt_oss, olmo(2), starcoder2,
     * granite, deepseek (v1): {@code head_dim} or {@code hidden_size / num_attention_heads}; standard
     * {@code rope_theta}/{@code rope_scaling}/{@code rope_parameters}; half layout ({@code rotate_half};
     * gpt_oss's {@code _apply_rotary_emb} splits the head in halves too). InternLM2 is remote code
     * ({@code modeling_internlm2.py}): half layout, its own dynamic class, read with HF's dynamic semantics.
     */
    LLAMA(RopeLayout.HALF, 1.0),
    /**
     * cohere, cohere2, llama4, llama4_text: as {@link #LLAMA}, but their attention pairs adjacent dimensions, so
     * interleaved (Cohere's {@code rotate_half} of {@code x[..., ::2]} and {@code x[..., 1::2]} with
     * {@code repeat_interleave(freqs, 2)}; Llama 4's {@code apply_rotary_emb} through {@code view_as_complex}).
     */
    LLAMA_INTERLEAVED(RopeLayout.INTERLEAVED, 1.0),
    /** phi: as {@link #LLAMA} with {@code partial_rotary_factor} defaulting to 0.5 ({@code PhiConfig}). */
    PHI(RopeLayout.HALF, 0.5),
    /**
     * phi3: {@code rope_type} "su" and "yarn" become "longrope" ({@code Phi3Config.convert_rope_params_to_dict});
     * the top-level {@code original_max_position_embeddings} (class default 4096) wins over the one in
     * {@code rope_scaling}; factor lists of the wrong length are errors ({@code Phi3Config.validate_rope}).
     */
    PHI3(RopeLayout.HALF, 1.0),
    /** stablelm (HF {@code StableLmConfig}): {@code partial_rotary_factor} defaults to 0.25; half layout. */
    STABLELM(RopeLayout.HALF, 0.25),
    /**
     * stablelm_epoch (remote code {@code modeling_stablelm_epoch.py}, e.g. stable-code-3b): {@code rope_pct} is the
     * partial rotary factor ({@code rotary_ndims = int(head_dim * rope_pct)}), {@code rope_theta}, half layout;
     * {@code rotary_scaling_factor} is never read by the model code (warned when not 1), {@code rope_scaling} ignored.
     */
    STABLELM_EPOCH(RopeLayout.HALF, 0.25),
    /**
     * gpt_neox ({@code GPTNeoXConfig.convert_rope_params_to_dict}): {@code rotary_pct} (default 0.25) is the partial
     * factor and {@code rotary_emb_base} (default 10000) the base, unless {@code rope_parameters} carries them; a
     * top-level {@code rope_theta} is not read (v4.4x saved it as a copy of {@code rotary_emb_base}; warned when they
     * differ); {@code hidden_size} must be divisible by the heads; half layout. Model types starting with {@code gpt_neox}
     * (e.g. {@code gpt_neox_reward_model}, an OpenAssistant fine-tune) are read as gpt_neox with a warning.
     */
    GPT_NEOX(RopeLayout.HALF, 0.25),
    /**
     * gptj, codegen ({@code modeling_gptj.py}: {@code create_sinusoidal_positions} with a fixed base 10000,
     * {@code rotate_every_two}): interleaved; {@code rotary_dim} (default 64) of {@code n_embd / n_head};
     * {@code n_positions}; {@code rope_theta}/{@code rope_scaling} are not read by the model.
     */
    GPTJ(RopeLayout.INTERLEAVED, 1.0),
    /**
     * mixformer-sequential (early phi-1.5/phi-2 remote code {@code modeling_mixformer_sequential.py}):
     * {@code RotaryEmbedding(rotary_dim)} with base 10000, {@code x_rot.chunk(2)}, so half layout;
     * {@code n_embd}, {@code n_head}, {@code n_positions}.
     */
    MIXFORMER(RopeLayout.HALF, 1.0),
    /**
     * chatglm (ChatGLM2/3 remote code {@code modeling_chatglm.py}): {@code RotaryEmbedding(kv_channels // 2)} with
     * base {@code 10000 * rope_ratio}: half of the head rotates, in adjacent pairs ({@code x.reshape(..., rot_dim//2,
     * 2)}), so interleaved with {@code rotary_dim = kv_channels / 2}; {@code seq_length} is the context length;
     * {@code original_rope} does not change the math.
     */
    CHATGLM(RopeLayout.INTERLEAVED, 0.5),
    /** glm, glm4 (HF {@code modeling_glm.py}): {@code partial_rotary_factor} 0.5, interleaved ({@code repeat_interleave}). */
    GLM(RopeLayout.INTERLEAVED, 0.5),
    /**
     * deepseek_v2 (complex multiplication, interleaved), deepseek_v3 ({@code rope_interleave}, default true:
     * interleaved), kimi_k2 (DeepSeek-V3 remote code, interleaved): the rotary part of the head is
     * {@code qk_rope_head_dim} (default 64), which HF uses as {@code head_dim}; yarn factors are floats.
     */
    DEEPSEEK(RopeLayout.INTERLEAVED, 1.0),
    /**
     * qwen2_vl, qwen2_5_vl, qwen3_vl(_moe) (and their {@code _text} sub-configs): half layout; {@code mrope_section}
     * and {@code mrope_interleaved} come from the rope dict; the v4 rope type "mrope" means "default"
     * ({@code Qwen2VLTextConfig}).
     */
    QWEN_VL(RopeLayout.HALF, 1.0),
    /**
     * gemma3, gemma3_text ({@code Gemma3TextConfig.convert_rope_params_to_dict}): per-layer-type rope.
     * {@code full_attention} gets {@code rope_scaling} and {@code rope_theta} (default 1e6), {@code sliding_attention}
     * the default rope with {@code rope_local_base_freq} (default 1e4), unless v5 {@code rope_parameters} gives them
     * per layer type; {@code head_dim} defaults to 256; half layout.
     */
    GEMMA3(RopeLayout.HALF, 1.0),
    /**
     * gemma4, gemma4_text ({@code Gemma4TextConfig}): per-layer-type rope from {@code rope_parameters} (no
     * {@code rope_scaling} form); without it, {@code full_attention} is proportional RoPE with
     * {@code partial_rotary_factor} 0.25 and base 1e6 and {@code sliding_attention} the default rope with base 1e4.
     * Full-attention layers use {@code global_head_dim} (default 512), sliding ones {@code head_dim} (default 256);
     * half layout.
     */
    GEMMA4(RopeLayout.HALF, 1.0),
    /**
     * falcon, RefinedWebModel, RefinedWeb (HF {@code FalconConfig}; the legacy RW remote code likewise):
     * {@code alibi=true} means ALiBi over the heads, otherwise RoPE with {@code head_dim = hidden_size /
     * num_attention_heads} ({@code n_head} in legacy configs), base {@code rope_theta} (10000), half layout,
     * {@code max_position_embeddings} (default 2048).
     */
    FALCON(RopeLayout.HALF, 1.0),
    /** bloom: ALiBi over {@code n_head} heads (HF {@code build_alibi_tensor}, slopes base {@code 2^-8/n}). */
    BLOOM(null, 1.0),
    /**
     * mpt: {@code attn_config.alibi} (default false) with {@code alibi_bias_max} (default 8) over {@code n_heads};
     * otherwise learned absolute positions ({@code learned_pos_emb}, default true) over {@code max_seq_len}.
     */
    MPT(null, 1.0),
    /** t5, mt5, umt5: relative bias, {@code relative_attention_num_buckets} (32), {@code relative_attention_max_distance} (128). */
    T5(null, 1.0),
    /**
     * deberta, deberta-v2: {@code relative_attention} (default false) selects disentangled relative attention with
     * {@code position_buckets}, {@code max_relative_positions} (values &lt; 1 mean {@code max_position_embeddings}) and
     * {@code pos_att_type} (a {@code |}-separated string or a list); without it, learned absolute positions.
     */
    DEBERTA(null, 1.0),
    /** bert, roberta, xlm-roberta, electra: learned absolute positions ({@code position_embedding_type} "absolute"). */
    BERT(null, 1.0),
    /** gpt2: learned absolute positions over {@code n_positions}. */
    GPT2(null, 1.0);

    private static final Map<String, ModelFamily> BY_MODEL_TYPE = Map.ofEntries(
            Map.entry("llama", LLAMA), Map.entry("mistral", LLAMA), Map.entry("mixtral", LLAMA),
            Map.entry("qwen2", LLAMA), Map.entry("qwen2_moe", LLAMA), Map.entry("qwen3", LLAMA),
            Map.entry("qwen3_moe", LLAMA), Map.entry("gemma", LLAMA), Map.entry("gemma2", LLAMA),
            Map.entry("internlm2", LLAMA), Map.entry("gpt_oss", LLAMA), Map.entry("olmo", LLAMA),
            Map.entry("olmo2", LLAMA), Map.entry("starcoder2", LLAMA), Map.entry("granite", LLAMA),
            Map.entry("deepseek", LLAMA),
            Map.entry("cohere", LLAMA_INTERLEAVED), Map.entry("cohere2", LLAMA_INTERLEAVED),
            Map.entry("llama4", LLAMA_INTERLEAVED), Map.entry("llama4_text", LLAMA_INTERLEAVED),
            Map.entry("phi", PHI), Map.entry("phi3", PHI3), Map.entry("stablelm", STABLELM),
            Map.entry("stablelm_epoch", STABLELM_EPOCH), Map.entry("gpt_neox", GPT_NEOX),
            Map.entry("gptj", GPTJ), Map.entry("codegen", GPTJ), Map.entry("mixformer-sequential", MIXFORMER),
            Map.entry("chatglm", CHATGLM), Map.entry("glm", GLM), Map.entry("glm4", GLM),
            Map.entry("deepseek_v2", DEEPSEEK), Map.entry("deepseek_v3", DEEPSEEK), Map.entry("kimi_k2", DEEPSEEK),
            Map.entry("qwen2_vl", QWEN_VL), Map.entry("qwen2_vl_text", QWEN_VL), Map.entry("qwen2_5_vl", QWEN_VL),
            Map.entry("qwen2_5_vl_text", QWEN_VL), Map.entry("qwen3_vl", QWEN_VL),
            Map.entry("qwen3_vl_text", QWEN_VL), Map.entry("qwen3_vl_moe", QWEN_VL),
            Map.entry("qwen3_vl_moe_text", QWEN_VL),
            Map.entry("gemma3", GEMMA3), Map.entry("gemma3_text", GEMMA3),
            Map.entry("gemma4", GEMMA4), Map.entry("gemma4_text", GEMMA4),
            Map.entry("falcon", FALCON), Map.entry("RefinedWebModel", FALCON), Map.entry("RefinedWeb", FALCON),
            Map.entry("bloom", BLOOM), Map.entry("mpt", MPT),
            Map.entry("t5", T5), Map.entry("mt5", T5), Map.entry("umt5", T5),
            Map.entry("deberta", DEBERTA), Map.entry("deberta-v2", DEBERTA),
            Map.entry("bert", BERT), Map.entry("roberta", BERT), Map.entry("xlm-roberta", BERT),
            Map.entry("electra", BERT), Map.entry("gpt2", GPT2));

    /**
     * {@code max_position_embeddings} of the HF (or remote) config class, used with a warning when a config omits
     * it. Only model types whose default was checked are listed.
     */
    private static final Map<String, Integer> DEFAULT_MAX_POSITIONS = Map.ofEntries(
            Map.entry("llama", 2048), Map.entry("mistral", 4096 * 32), Map.entry("qwen2", 32768),
            Map.entry("qwen3", 32768), Map.entry("gemma", 8192), Map.entry("gemma2", 8192),
            Map.entry("gemma3", 131072), Map.entry("gemma3_text", 131072), Map.entry("gemma4", 131072),
            Map.entry("gemma4_text", 131072), Map.entry("phi", 2048),
            Map.entry("phi3", 4096), Map.entry("stablelm", 4096), Map.entry("gpt_neox", 2048),
            Map.entry("falcon", 2048), Map.entry("RefinedWebModel", 2048), Map.entry("RefinedWeb", 2048),
            Map.entry("deepseek_v3", 4096), Map.entry("gpt_oss", 131072), Map.entry("qwen2_vl", 32768),
            Map.entry("gptj", 2048), Map.entry("codegen", 2048), Map.entry("mixformer-sequential", 2048),
            Map.entry("chatglm", 2048), Map.entry("stablelm_epoch", 4096),
            Map.entry("cohere2", 8192), Map.entry("llama4_text", 4096 * 32));

    private final RopeLayout layout;
    private final double defaultPartialRotaryFactor;

    ModelFamily(RopeLayout layout, double defaultPartialRotaryFactor) {
        this.layout = layout;
        this.defaultPartialRotaryFactor = defaultPartialRotaryFactor;
    }

    /** The pairing the family's attention code applies (null for families without RoPE). */
    RopeLayout layout() {
        return layout;
    }

    /** The family's default {@code partial_rotary_factor} (or its own key's default). */
    double defaultPartialRotaryFactor() {
        return defaultPartialRotaryFactor;
    }

    /**
     * Whether the family's model code rotates {@code int(head_dim * partial_rotary_factor)} dimensions (phi, phi3,
     * stablelm, gpt_neox, glm: their {@code compute_default_rope_parameters} and attention read it). The other
     * families' default rotary classes use the whole {@code head_dim}, and their attention rotates the whole head.
     */
    boolean readsPartialRotaryFactor() {
        return switch (this) {
            case PHI, PHI3, STABLELM, GPT_NEOX, GLM -> true;
            default -> false;
        };
    }

    /**
     * Whether the rotary class of {@code modelType} recomputes its frequencies per forward pass
     * ({@code @dynamic_rope_update}): every RoPE family but Qwen2-VL and Qwen2.5-VL, whose text configs also have
     * no {@code head_dim}.
     */
    boolean updatesDynamically(String modelType) {
        return !(this == QWEN_VL && (modelType.startsWith("qwen2_vl") || modelType.startsWith("qwen2_5_vl")));
    }

    /** Every {@code model_type} with a family (read by {@link SupportedFamily#all()}). */
    static Set<String> modelTypes() {
        return BY_MODEL_TYPE.keySet();
    }

    static Optional<ModelFamily> of(String modelType) {
        return Optional.ofNullable(BY_MODEL_TYPE.get(modelType));
    }

    static OptionalInt defaultMaxPositionEmbeddings(String modelType) {
        Integer v = DEFAULT_MAX_POSITIONS.get(modelType);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }
}
