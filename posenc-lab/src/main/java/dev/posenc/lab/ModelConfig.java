package dev.posenc.lab;

/**
 * The lab's model: a decoder-only byte-level Transformer (vocabulary 256), pre-LayerNorm blocks, tied input/output
 * embeddings, 4× GELU MLP, no dropout.
 *
 * @param dModel width
 * @param layers number of blocks
 * @param heads attention heads; {@code dModel % heads == 0}, head size even (RoPE rotates pairs)
 * @param attention softmax attention, or causal feature-map linear attention (Katharopoulos et al. 2020, φ = elu+1)
 */
public record ModelConfig(int dModel, int layers, int heads, Attention attention) {
    public static final int VOCAB = 256;

    /** The attention kernel. */
    public enum Attention { SOFTMAX, LINEAR }

    public ModelConfig {
        if (dModel <= 0 || layers <= 0 || heads <= 0 || dModel % heads != 0 || (dModel / heads) % 2 != 0) {
            throw new IllegalArgumentException("model: need d_model > 0 divisible by heads with an even head size, got d_model="
                    + dModel + ", heads=" + heads);
        }
    }

    public int headDim() {
        return dModel / heads;
    }
}
