package dev.posenc.config;

import dev.posenc.querykey.RopeSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * How one decoder layer encodes positions on its queries and keys: rotary (its own {@link RopeSpec}, and where in
 * each head the rotated slice lies) or nothing at all (NoPE).
 */
public sealed interface LayerEncoding {

    /**
     * Rotary position embedding on a slice of each head: columns {@code [offset, offset + spec.rotaryDim())} of every
     * query head are rotated (the first {@code spec.rotaryDim()} of {@code spec.headDim()}, with the rest of the
     * rope part left as it is).
     *
     * <p>Keys: with {@code sharedKeyHead} false, the same columns of every key head. With {@code sharedKeyHead}
     * true (multi-head latent attention, DeepSeek-V2/V3 and Kimi K2: HF {@code DeepseekV3Attention}), the rotated
     * part of the keys is one head of {@code spec.headDim()} ({@code qk_rope_head_dim}) floats per token,
     * {@code k_pe}, split off the output of {@code kv_a_proj_with_mqa} before the latent is expanded, and shared by
     * every query head; the query's rotated slice is its last {@code qk_rope_head_dim} columns, after
     * {@code qk_nope_head_dim} unrotated ones.
     *
     * @param spec the layer's rope (base, scaling, rotary dimension, layout), for Gemma 3 the one of its layer type
     * @param offset the first rotated column of each query head ({@code qk_nope_head_dim} for MLA, else 0)
     * @param sharedKeyHead whether keys carry their rotated part as one shared {@code k_pe} head (MLA)
     * @param mrope the multimodal section split (Qwen2-VL-style M-RoPE), if any
     */
    record Rotary(RopeSpec spec, int offset, boolean sharedKeyHead, Optional<MRopeSection> mrope)
            implements LayerEncoding {
        public Rotary {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(mrope, "mrope");
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0, got " + offset);
            }
            if (mrope.isPresent() && mrope.get().pairs() != spec.rotaryDim() / 2) {
                throw new IllegalArgumentException("mrope_section covers " + mrope.get().pairs()
                        + " pairs, rotary_dim / 2 = " + spec.rotaryDim() / 2);
            }
        }
    }

    /**
     * No position encoding in this layer (NoPE, Kazemnejad et al. 2023, "The Impact of Positional Encoding on
     * Length Generalization in Transformers"): queries and keys are used as projected.
     *
     * @param reason why the model's code skips RoPE here, naming the model and key (Llama 4's
     *     {@code no_rope_layers}, Cohere 2's full-attention layers)
     */
    record NoPE(String reason) implements LayerEncoding {
        public NoPE {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
