package dev.posenc.querykey;

import java.util.Arrays;
import java.util.Objects;

/**
 * Multi-axis RoPE: which position axis rotates each pair. Plain RoPE has one axis (the token index); multimodal
 * models give each token several positions (time, height, width; or an image patch's row and column) and let
 * each pair of the rotated prefix follow one of them. The pair's frequency stays {@code invFreq[i]}; only the
 * position it multiplies changes: pair {@code i} of token {@code t} is rotated by
 * {@code position_ids[axisOf(i)][t] * invFreq[i]}.
 *
 * <p>Immutable.
 */
public final class RotaryAxes {
    private final String description;
    private final int axes;
    private final int[] pairAxis;

    private RotaryAxes(String description, int axes, int[] pairAxis) {
        this.description = description;
        this.axes = axes;
        this.pairAxis = pairAxis;
    }

    /**
     * M-RoPE with contiguous sections, Qwen2-VL and Qwen2.5-VL: pairs {@code [0, s0)} follow axis 0 (temporal),
     * the next {@code s1} pairs axis 1 (height), the next {@code s2} axis 2 (width).
     *
     * <p>Hugging Face {@code modeling_qwen2_vl.py} {@code apply_multimodal_rotary_pos_emb}: the cos/sin of the
     * {@code rotary_dim} columns are split by {@code mrope_section * 2} and chunk {@code k} is taken from axis
     * {@code k % 3}; as the second half of the columns repeats the first ({@code emb = cat(freqs, freqs)}), both
     * columns of pair {@code i} take the same axis. Also ggml {@code GGML_ROPE_TYPE_MROPE} (its 4th section aside)
     * and vLLM {@code MRotaryEmbedding}, which asserts {@code sum(mrope_section) == rotary_dim // 2} as done here.
     *
     * @param mropeSection pairs per axis, each {@code >= 0}, summing to {@code rotary_dim / 2} (e.g. Qwen2-VL
     *     {@code [16, 24, 24]} for head_dim 128)
     */
    public static RotaryAxes mrope(int... mropeSection) {
        Objects.requireNonNull(mropeSection, "mropeSection");
        int pairs = checkSections(mropeSection, "mrope_section");
        int[] pairAxis = new int[pairs];
        int i = 0;
        for (int axis = 0; axis < mropeSection.length; axis++) {
            for (int k = 0; k < mropeSection[axis]; k++) {
                pairAxis[i++] = axis;
            }
        }
        return new RotaryAxes("mrope" + Arrays.toString(mropeSection), mropeSection.length, pairAxis);
    }

    /**
     * Interleaved M-RoPE, Qwen3-VL: pair {@code i} follows axis 1 (height) if {@code i % 3 == 1} and
     * {@code i < 3 * s1}, axis 2 (width) if {@code i % 3 == 2} and {@code i < 3 * s2}, else axis 0 (temporal).
     *
     * <p>Hugging Face {@code modeling_qwen3_vl.py} {@code Qwen3VLTextRotaryEmbedding.apply_interleaved_mrope}
     * ({@code freqs_t[..., offset:3*s:3] = freqs[axis, ..., offset:3*s:3]} for (axis, offset) = (1, 1), (2, 2));
     * ggml {@code GGML_ROPE_TYPE_IMROPE}; vLLM {@code MRotaryEmbedding} with {@code mrope_interleaved}.
     *
     * @param mropeSection three counts {@code [t, h, w]} summing to {@code rotary_dim / 2}, e.g. Qwen3-VL
     *     {@code [24, 20, 20]} for head_dim 128
     */
    public static RotaryAxes mropeInterleaved(int... mropeSection) {
        Objects.requireNonNull(mropeSection, "mropeSection");
        int pairs = checkSections(mropeSection, "mrope_section");
        if (mropeSection.length != 3) {
            throw new IllegalArgumentException(
                    "interleaved mrope_section must have 3 entries [t, h, w], got " + Arrays.toString(mropeSection));
        }
        int[] pairAxis = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            if (i % 3 == 1 && i < 3 * mropeSection[1]) {
                pairAxis[i] = 1;
            } else if (i % 3 == 2 && i < 3 * mropeSection[2]) {
                pairAxis[i] = 2;
            }
        }
        return new RotaryAxes("mrope_interleaved" + Arrays.toString(mropeSection), 3, pairAxis);
    }

    /**
     * 2-D axial RoPE for image patches: the first half of the pairs follows axis 0 (the patch's row), the second
     * half axis 1 (its column).
     *
     * <p>This is the Qwen2-VL / Qwen2.5-VL / Qwen3-VL vision encoder ({@code VisionRotaryEmbedding(head_dim // 2)},
     * {@code rot_pos_emb}: {@code rot = cat(inv_freq * row, inv_freq * col)}, {@code emb = cat(rot, rot)}, applied
     * with {@code rotate_half}) and ggml {@code GGML_ROPE_TYPE_VISION}. Its frequencies are those of a head of
     * {@code head_dim / 2} repeated for both halves:
     * {@code invFreq = [inv, inv]}, {@code inv[j] = 1 / θ^(2j / (head_dim/2))}, {@code j < head_dim / 4},
     * θ = 10000, layout {@link RopeLayout#HALF}, {@code rotary_dim = head_dim}.
     *
     * <p>EVA-02 ({@code VisionRotaryEmbeddingFast}) and lucidrains' {@code rotary-embedding-torch}
     * ({@code get_axial_freqs} for two axes) give the same split with {@link RopeLayout#INTERLEAVED}; EVA-02's
     * positions {@code arange(ft) / ft * pt} are integers only when fine-tuning at the pretraining grid
     * ({@code ft == pt}), and {@code rotary-embedding-torch}'s "pixel" frequencies use fractional positions in
     * {@code [-1, 1]}: positions here are integers, so those two cases are not covered.
     *
     * @param pairs {@code rotary_dim / 2}, even
     */
    public static RotaryAxes rowColumn(int pairs) {
        if (pairs < 2 || pairs % 2 != 0) {
            throw new IllegalArgumentException("row/column RoPE needs an even number of pairs >= 2, got " + pairs);
        }
        int[] pairAxis = new int[pairs];
        Arrays.fill(pairAxis, pairs / 2, pairs, 1);
        return new RotaryAxes("row_column[" + pairs + "]", 2, pairAxis);
    }

    private static int checkSections(int[] sections, String name) {
        if (sections.length == 0) {
            throw new IllegalArgumentException(name + " must have at least one entry");
        }
        long sum = 0;
        for (int s : sections) {
            if (s < 0) {
                throw new IllegalArgumentException(name + " entries must be >= 0, got " + Arrays.toString(sections));
            }
            sum += s;
        }
        if (sum < 1 || sum > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException(name + " must sum to rotary_dim/2 >= 1, got " + Arrays.toString(sections));
        }
        return (int) sum;
    }

    /** Number of position axes. */
    public int axes() {
        return axes;
    }

    /** Number of pairs described, which must equal {@link RotaryFrequencies#pairs()}. */
    public int pairs() {
        return pairAxis.length;
    }

    /** The axis whose position rotates pair {@code pair}. */
    public int axisOf(int pair) {
        return pairAxis[pair];
    }

    @Override
    public String toString() {
        return "RotaryAxes[" + description + "]";
    }
}
