package dev.posenc.attention;

import dev.posenc.input.InputEncoding;
import dev.posenc.logits.PositionBias;
import dev.posenc.logits.RelativeLogitTerm;
import dev.posenc.logits.RelativeValueEncoding;

/**
 * The encodings one attention uses, one per place an encoding can act; {@code null} means none there. All
 * {@code null} is NoPE (Haviv et al. 2022, Kazemnejad et al. 2023): position reaches a causal model only through
 * its mask, and bidirectional attention without positions is permutation-equivariant.
 *
 * <p>Combinations are accepted where they make sense (an absolute input encoding with anything, as DeBERTa's
 * decoder does; RoPE with a position bias; Shaw's keys with Shaw's values) and rejected with a one-line reason
 * where they do not: two relative schemes on the logits at once, or a content relative term (Shaw, Transformer-XL,
 * DeBERTa) on queries and keys that a query/key encoding has already made relative.
 *
 * @param input on the hidden states, before the projections
 * @param queryKey on the projected queries and keys (RoPE, xPos)
 * @param logitTerm a content-dependent relative term on the logits
 * @param bias a position-only bias on the logits
 * @param values a relative term on the values
 */
public record AttentionEncodings(InputEncoding input, QueryKeyEncoding queryKey, RelativeLogitTerm logitTerm,
                                  PositionBias bias, RelativeValueEncoding values) {
    public AttentionEncodings {
        if (logitTerm != null && bias != null) {
            throw new IllegalArgumentException("a relative logit term (" + simpleName(logitTerm) + ") and a position bias ("
                    + simpleName(bias) + ") both encode relative positions in the logits; use one");
        }
        if (queryKey != null && logitTerm != null) {
            throw new IllegalArgumentException("the query/key encoding (" + simpleName(queryKey) + ") already makes q·k "
                    + "relative; adding " + simpleName(logitTerm) + "'s relative terms on top counts positions twice");
        }
    }

    private static String simpleName(Object o) {
        return o.getClass().getSimpleName();
    }

    /** NoPE: no positional information at all. */
    public static AttentionEncodings none() {
        return new AttentionEncodings(null, null, null, null, null);
    }

    public static AttentionEncodings ofInput(InputEncoding input) {
        return none().withInput(input);
    }

    public static AttentionEncodings ofQueryKey(QueryKeyEncoding queryKey) {
        return none().withQueryKey(queryKey);
    }

    public static AttentionEncodings ofLogitTerm(RelativeLogitTerm logitTerm) {
        return none().withLogitTerm(logitTerm);
    }

    public static AttentionEncodings ofBias(PositionBias bias) {
        return none().withBias(bias);
    }

    public AttentionEncodings withInput(InputEncoding input) {
        return new AttentionEncodings(input, queryKey, logitTerm, bias, values);
    }

    public AttentionEncodings withQueryKey(QueryKeyEncoding queryKey) {
        return new AttentionEncodings(input, queryKey, logitTerm, bias, values);
    }

    public AttentionEncodings withLogitTerm(RelativeLogitTerm logitTerm) {
        return new AttentionEncodings(input, queryKey, logitTerm, bias, values);
    }

    public AttentionEncodings withBias(PositionBias bias) {
        return new AttentionEncodings(input, queryKey, logitTerm, bias, values);
    }

    public AttentionEncodings withValues(RelativeValueEncoding values) {
        return new AttentionEncodings(input, queryKey, logitTerm, bias, values);
    }

    /** True when nothing encodes positions (NoPE). */
    public boolean isNone() {
        return input == null && queryKey == null && logitTerm == null && bias == null && values == null;
    }

    /** Throws an {@link IllegalArgumentException} when an encoding does not fit the attention's geometry or mask. */
    void checkAttention(AttentionSpec spec) {
        if (queryKey != null) {
            queryKey.checkAttention(spec);
        }
        if (logitTerm != null) {
            logitTerm.checkAttention(spec.numHeads(), spec.headDim(), spec.causal());
        }
        if (bias != null) {
            if (bias.numHeads() != spec.numHeads()) {
                throw new IllegalArgumentException(simpleName(bias) + " has " + bias.numHeads()
                        + " heads but the attention has " + spec.numHeads());
            }
            bias.checkAttention(spec.causal());
        }
        if (values != null) {
            values.checkAttention(spec.numHeads(), spec.headDim());
        }
    }

    /**
     * The checks of a kernel, which sees projected queries and keys: no input encoding, and every encoding fits
     * {@code spec}. Returns {@code encodings}.
     */
    static AttentionEncodings checkKernel(AttentionSpec spec, AttentionEncodings encodings) {
        if (encodings.input != null) {
            throw new IllegalArgumentException("input encodings act on the hidden states before the projections; "
                    + "use PositionalSelfAttention, or encode the hidden states before projecting them");
        }
        encodings.checkAttention(spec);
        return encodings;
    }
}
