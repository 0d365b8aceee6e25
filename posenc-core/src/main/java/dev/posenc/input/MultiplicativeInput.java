package dev.posenc.input;

import java.util.Objects;

/**
 * Multiplicative absolute encoding: {@code x_p ← x_p ⊗ PE(p)}, the element-wise product (the "乘性位置编码" the
 * seeds describe: Su, "中文语言模型研究：(1) 乘性位置编码"). With a sinusoidal {@code PE} each feature is modulated by
 * a position-dependent factor instead of shifted by it.
 *
 * @param positions the position vectors
 */
public record MultiplicativeInput(AbsolutePositions positions) implements InputEncoding {
    public MultiplicativeInput {
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
            embeddings[i] *= table[i];
        }
    }
}
