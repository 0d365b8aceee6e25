package dev.posenc.input;

import java.util.Objects;

/**
 * The usual absolute encoding: {@code x_p ← x_p + PE(p)} (Vaswani et al. 2017 §3.5; BERT's
 * {@code inputs_embeds + position_embeddings}).
 *
 * @param positions the position vectors
 */
public record AdditiveInput(AbsolutePositions positions) implements InputEncoding {
    public AdditiveInput {
        Objects.requireNonNull(positions, "positions");
    }

    @Override
    public int dim() {
        return positions.dim();
    }

    @Override
    public void encode(float[] embeddings, int tokens, int firstPosition) {
        Objects.requireNonNull(embeddings, "embeddings");
        float[] table = InputChecks.table(positions, embeddings, tokens, firstPosition);
        for (int i = 0; i < table.length; i++) {
            embeddings[i] += table[i];
        }
    }
}
