package dev.posenc.lab;

import java.util.List;

/**
 * The size of a lab run. {@code quick} fits the six experiments in 15 minutes on a 2-core machine; {@code full}
 * trains the same comparisons longer and wider, for bigger machines (see the README's lab section for its expected
 * time).
 *
 * @param name {@code quick} or {@code full}
 * @param model the language model
 * @param train how each language model is trained
 * @param seeds seeds per encoding (ranking, linear attention, CNN probe)
 * @param evalTokens validation targets per perplexity
 * @param extrapolationFactors evaluation lengths as multiples of the training length
 * @param cnnSteps training steps of each CNN position probe
 * @param cnnChannels channels of the CNN probe
 * @param overheadSteps timed steps per encoding in the overhead experiment (after as many warm-up steps / 2)
 * @param ropeApplyShape {@code [tokens, batch, heads, headDim]} of the RoPE-alone timing (EleutherAI's
 *     {@code [2048, 16, 12, 64]} in full)
 * @param ropeApplyRepeats timed repetitions of the RoPE-alone timing
 */
public record LabPreset(String name, ModelConfig model, TrainConfig train, int seeds, int evalTokens,
                        List<Integer> extrapolationFactors, int cnnSteps, int cnnChannels, int overheadSteps,
                        List<Integer> ropeApplyShape, int ropeApplyRepeats) {
    public LabPreset {
        extrapolationFactors = List.copyOf(extrapolationFactors);
        ropeApplyShape = List.copyOf(ropeApplyShape);
        if (seeds < 1 || evalTokens < 1 || cnnSteps < 1 || overheadSteps < 2 || ropeApplyShape.size() != 4) {
            throw new IllegalArgumentException("preset " + name + ": invalid sizes");
        }
    }

    public static final List<String> NAMES = List.of("quick", "full");

    /** The preset called {@code name}; an unknown name is an {@link IllegalArgumentException}. */
    public static LabPreset named(String name) {
        return switch (name) {
            case "quick" -> new LabPreset("quick",
                    new ModelConfig(64, 2, 4, ModelConfig.Attention.SOFTMAX),
                    new TrainConfig(64, 16, 400, 2e-3f, 40, 0.1f, 100),
                    3, 16384, List.of(1, 2, 4, 8), 150, 32, 10, List.of(512, 4, 12, 64), 20);
            case "full" -> new LabPreset("full",
                    new ModelConfig(256, 4, 8, ModelConfig.Attention.SOFTMAX),
                    new TrainConfig(128, 32, 5000, 1e-3f, 200, 0.1f, 250),
                    3, 131072, List.of(1, 2, 4, 8), 1000, 64, 20, List.of(2048, 16, 12, 64), 20);
            default -> throw new IllegalArgumentException("unknown preset '" + name + "'; expected one of "
                    + String.join(", ", NAMES));
        };
    }

    /** A tiny preset for tests: every experiment runs in seconds. */
    static LabPreset tiny() {
        return new LabPreset("tiny", new ModelConfig(16, 1, 2, ModelConfig.Attention.SOFTMAX),
                new TrainConfig(16, 2, 3, 1e-3f, 1, 0.1f, 2), 2, 64, List.of(1, 2), 2, 4, 2, List.of(8, 1, 2, 8), 2);
    }
}
