package dev.posenc.cli.verify;

import java.util.List;

/**
 * A config's RoPE frequencies pair by pair, as the build reports them: the unscaled {@code inv_freq}, the one its
 * scaling produces, and what the scaling did to each pair (kept, interpolated or blended, relative to the original
 * context).
 *
 * @param model a short name: the file name, or model_type and rope_type
 * @param ropeType the rope type, e.g. {@code llama3}
 * @param originalContext the context the model was trained at ({@code original_max_position_embeddings})
 * @param extendedContext the context it is extended to ({@code max_position_embeddings})
 * @param unscaledInvFreq {@code theta^(-2i/d)}, one per pair
 * @param invFreq the effective inverse frequencies, one per pair
 * @param band per pair: {@code kept}, {@code interpolated} or {@code blended}
 */
public record ConfigBands(String model, String ropeType, int originalContext, int extendedContext,
                          double[] unscaledInvFreq, double[] invFreq, List<String> band) {
    public ConfigBands {
        unscaledInvFreq = unscaledInvFreq.clone();
        invFreq = invFreq.clone();
        band = List.copyOf(band);
        if (unscaledInvFreq.length != invFreq.length || band.size() != invFreq.length) {
            throw new IllegalArgumentException(model + ": one inv_freq and one band per pair expected");
        }
    }

    @Override
    public double[] unscaledInvFreq() {
        return unscaledInvFreq.clone();
    }

    @Override
    public double[] invFreq() {
        return invFreq.clone();
    }
}
