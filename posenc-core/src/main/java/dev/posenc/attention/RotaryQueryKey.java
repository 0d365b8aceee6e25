package dev.posenc.attention;

import dev.posenc.querykey.HeadStrides;
import dev.posenc.querykey.RopePositions;
import dev.posenc.querykey.RotaryEmbedding;
import java.util.Objects;

/**
 * Rotary position embedding (Su et al. 2021, arXiv:2104.09864, eq. 14-16) at the attention's query/key plug point:
 * the in-place {@link RotaryEmbedding} of {@code dev.posenc.querykey} (Hugging Face's
 * {@code apply_rotary_pos_emb}, any layout, partial rotary, xPos when the embedding has it) applied to the
 * projected queries and keys at their positions. With it {@code q_m·k_n} depends on {@code n − m} only:
 * {@code ⟨R_m q, R_n k⟩ = ⟨q, R_{n−m} k⟩}.
 *
 * @param rope the rotary embedding (its cos/sin source must cover the positions the attention uses)
 */
public record RotaryQueryKey(RotaryEmbedding rope) implements QueryKeyEncoding {
    public RotaryQueryKey {
        Objects.requireNonNull(rope, "rope");
    }

    @Override
    public void encodeQueries(float[] queries, int tokens, int numHeads, int headDim, int firstPosition) {
        Objects.requireNonNull(queries, "queries");
        rope.applyToQueries(RopePositions.startingAt(firstPosition), tokens, queries,
                HeadStrides.tokenMajor(numHeads, headDim));
    }

    @Override
    public void encodeKeys(float[] keys, int tokens, int numHeads, int headDim, int firstPosition) {
        Objects.requireNonNull(keys, "keys");
        rope.applyToKeys(RopePositions.startingAt(firstPosition), tokens, keys, HeadStrides.tokenMajor(numHeads, headDim));
    }

    @Override
    public void checkAttention(AttentionSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (rope.frequencies().headDim() != spec.headDim()) {
            throw new IllegalArgumentException("RoPE is for head_dim " + rope.frequencies().headDim()
                    + " but the attention's head_dim is " + spec.headDim());
        }
    }
}
