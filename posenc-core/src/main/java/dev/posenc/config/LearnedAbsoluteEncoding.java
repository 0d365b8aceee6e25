package dev.posenc.config;

/**
 * A learned absolute position embedding table added to the token embeddings (BERT, GPT-2).
 *
 * @param maxPositionEmbeddings the number of rows of the table ({@code max_position_embeddings}, GPT-2
 *     {@code n_positions}), {@code > 0}
 */
public record LearnedAbsoluteEncoding(int maxPositionEmbeddings) implements ModelEncoding {
    public LearnedAbsoluteEncoding {
        if (maxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException("max_position_embeddings must be > 0, got " + maxPositionEmbeddings);
        }
    }

    @Override
    public String kind() {
        return "learned_absolute";
    }
}
