package dev.posenc.config;

import dev.posenc.querykey.CosSinCache;
import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RotaryAxes;
import dev.posenc.querykey.RotaryEmbedding;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The attention geometry of one decoder layer, as the model's code uses it: head counts and sizes, the layer's
 * position encoding, the softmax scale and the attention window. Built by {@link HfConfig#loadGeometry} from a
 * config.json; any other model reader can build the same value.
 *
 * <p>Attention logits are {@code softmaxScale · q·k} (then {@code softcap · tanh(logit / softcap)} where
 * {@link #logitSoftcapping()} is set), with queries and keys rotated by {@link #encoding()}; query head {@code h}
 * reads KV head {@code h / (queryHeads / keyValueHeads)} (grouped-query attention, HF {@code repeat_kv}).
 *
 * @param layer the layer index, from 0
 * @param layerType the layer's entry in HF's {@code layer_types} ({@code full_attention}, {@code sliding_attention},
 *     {@code chunked_attention}), {@code full_attention} for models that have none
 * @param queryHeads {@code num_attention_heads}
 * @param keyValueHeads {@code num_key_value_heads} (1 for multi-query attention), dividing {@code queryHeads}
 * @param qkHeadDim the size of each query and key head ({@code head_dim}; MLA: {@code qk_nope_head_dim +
 *     qk_rope_head_dim})
 * @param vHeadDim the size of each value head ({@code v_head_dim} for MLA, else {@code head_dim})
 * @param encoding the layer's rotary slice and spec, or NoPE
 * @param softmaxScale the factor on {@code q·k}: {@code head_dim^-0.5}; Gemma 2/3 {@code query_pre_attn_scalar^-0.5};
 *     Granite {@code attention_multiplier}; DeepSeek {@code qk_head_dim^-0.5 · mscale²} with yarn's
 *     {@code mscale_all_dim}
 * @param slidingWindow the window of a sliding-window layer (HF {@code sliding_window}: a query sees the keys of
 *     the last {@code slidingWindow} positions, itself included), empty for full attention
 * @param attentionChunkSize Llama 4's chunked attention ({@code attention_chunk_size}): queries see only keys of
 *     their own chunk of this many positions; empty otherwise
 * @param logitSoftcapping Gemma 2's {@code attn_logit_softcapping}, empty when none
 * @param queryTemperature Llama 4's temperature tuning on NoPE layers, empty otherwise
 */
public record LayerAttention(int layer, String layerType, int queryHeads, int keyValueHeads, int qkHeadDim,
                             int vHeadDim, LayerEncoding encoding, double softmaxScale, OptionalInt slidingWindow,
                             OptionalInt attentionChunkSize, OptionalDouble logitSoftcapping,
                             Optional<AttentionTemperature> queryTemperature) {
    public LayerAttention {
        Objects.requireNonNull(layerType, "layerType");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(slidingWindow, "slidingWindow");
        Objects.requireNonNull(attentionChunkSize, "attentionChunkSize");
        Objects.requireNonNull(logitSoftcapping, "logitSoftcapping");
        Objects.requireNonNull(queryTemperature, "queryTemperature");
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        if (queryHeads < 1 || keyValueHeads < 1 || queryHeads % keyValueHeads != 0) {
            throw new IllegalArgumentException("query heads must be a positive multiple of the KV heads, got "
                    + queryHeads + " and " + keyValueHeads);
        }
        if (qkHeadDim < 1 || vHeadDim < 1) {
            throw new IllegalArgumentException("head dims must be >= 1, got " + qkHeadDim + " and " + vHeadDim);
        }
        if (encoding instanceof LayerEncoding.Rotary r && r.offset() + r.spec().headDim() > qkHeadDim) {
            throw new IllegalArgumentException("the rotated slice [" + r.offset() + ", " + (r.offset()
                    + r.spec().headDim()) + ") does not fit a head of " + qkHeadDim);
        }
        if (!(softmaxScale > 0) || !Double.isFinite(softmaxScale)) {
            throw new IllegalArgumentException("softmaxScale must be finite and > 0, got " + softmaxScale);
        }
        if (slidingWindow.isPresent() && slidingWindow.getAsInt() < 1
                || attentionChunkSize.isPresent() && attentionChunkSize.getAsInt() < 1) {
            throw new IllegalArgumentException("windows must be >= 1, got " + slidingWindow + " and "
                    + attentionChunkSize);
        }
        if (logitSoftcapping.isPresent() && !(logitSoftcapping.getAsDouble() > 0
                && Double.isFinite(logitSoftcapping.getAsDouble()))) {
            throw new IllegalArgumentException("logitSoftcapping must be finite and > 0, got " + logitSoftcapping);
        }
    }

    /** Whether the layer rotates its queries and keys (false for NoPE layers). */
    public boolean rotates() {
        return encoding instanceof LayerEncoding.Rotary;
    }

    /**
     * The ready-to-use rotation of this layer for forward passes of up to {@code maxPositions} positions
     * ({@code [0, maxPositions)}, with the frequencies Hugging Face uses for a pass of that length, e.g. dynamic NTK
     * grown to it), or empty for a NoPE layer. It holds a cos/sin table of {@code maxPositions × rotary_dim} floats;
     * layers with equal specs may share one.
     *
     * @throws IllegalArgumentException if {@code maxPositions < 1}
     */
    public Optional<LayerRotation> rotation(int maxPositions) {
        if (maxPositions < 1) {
            throw new IllegalArgumentException("maxPositions must be >= 1, got " + maxPositions);
        }
        if (!(encoding instanceof LayerEncoding.Rotary r)) {
            return Optional.empty();
        }
        RotaryEmbedding embedding = RotaryEmbedding.of(CosSinCache.of(r.spec().frequencies(maxPositions), 0,
                maxPositions));
        if (r.mrope().isPresent()) {
            int[] section = r.mrope().get().section();
            embedding = embedding.withAxes(r.mrope().get().interleaved() ? RotaryAxes.mropeInterleaved(section)
                    : RotaryAxes.mrope(section));
        }
        HeadStrides query = HeadStrides.tokenMajor(queryHeads, qkHeadDim).withOffset(r.offset());
        HeadStrides key = r.sharedKeyHead() ? HeadStrides.tokenMajor(1, r.spec().headDim())
                : HeadStrides.tokenMajor(keyValueHeads, qkHeadDim).withOffset(r.offset());
        return Optional.of(new LayerRotation(embedding, query, key));
    }
}
