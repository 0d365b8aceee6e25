package dev.posenc.config;

import java.util.Objects;
import java.util.Arrays;

/**
 * Multimodal RoPE (Qwen2-VL): the rotated pairs are split among the temporal, height and width position axes.
 *
 * <p>Contiguous (Qwen2-VL, Qwen2.5-VL, HF {@code apply_multimodal_rotary_pos_emb}): pairs
 * {@code [0, s0)} follow axis 0, the next {@code s1} axis 1, the next {@code s2} axis 2. Interleaved (Qwen3-VL, HF
 * {@code apply_interleaved_mrope}): pair {@code i} follows the height axis when {@code i % 3 == 1 && i < 3·s1}, the
 * width axis when {@code i % 3 == 2 && i < 3·s2}, the temporal axis otherwise.
 *
 * @param section pairs per axis ({@code mrope_section}), positive, summing to {@code rotary_dim / 2}
 * @param interleaved {@code mrope_interleaved}
 */
public record MRopeSection(int[] section, boolean interleaved) {
    public MRopeSection {
        Objects.requireNonNull(section, "section");
        if (section.length == 0) {
            throw new IllegalArgumentException("mrope_section must not be empty");
        }
        section = section.clone();
        for (int s : section) {
            if (s <= 0) {
                throw new IllegalArgumentException("mrope_section entries must be > 0, got " + Arrays.toString(section));
            }
        }
    }

    @Override
    public int[] section() {
        return section.clone();
    }

    /** The number of rotated pairs the sections cover. */
    public int pairs() {
        return Arrays.stream(section).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MRopeSection that && Arrays.equals(section, that.section)
                && interleaved == that.interleaved;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(section) + Boolean.hashCode(interleaved);
    }

    @Override
    public String toString() {
        return "MRopeSection[section=" + Arrays.toString(section) + ", interleaved=" + interleaved + "]";
    }
}
