package dev.posenc.querykey;

/**
 * How the rotated dimensions of a head are paired.
 *
 * <p>Both layouts describe the same rotation up to a fixed permutation of the head's columns; a checkpoint trained
 * with one cannot be run with the other without permuting its query/key projection rows.
 */
public enum RopeLayout {
    /**
     * GPT-NeoX / Hugging Face {@code rotate_half}: pair {@code i} is {@code (x[i], x[i + rotaryDim/2])}.
     * ggml {@code NEOX}, vLLM {@code is_neox_style=True}.
     */
    HALF("half"),
    /**
     * GPT-J / RoFormer / Meta reference: pair {@code i} is {@code (x[2i], x[2i+1])}.
     * ggml {@code NORMAL}, vLLM {@code is_neox_style=False}.
     */
    INTERLEAVED("interleaved");

    private final String id;

    RopeLayout(String id) {
        this.id = id;
    }

    /** The name used in JSON output and on the command line: {@code half} or {@code interleaved}. */
    public String id() {
        return id;
    }

    /**
     * The column of the first coordinate of pair {@code pair} in a head whose rotated part has {@code rotaryDim}
     * columns: {@code pair} (half) or {@code 2·pair} (interleaved). This enum is the one place that states the rule.
     */
    public int firstColumn(int pair, int rotaryDim) {
        return this == INTERLEAVED ? 2 * pair : pair;
    }

    /** The column of the second coordinate of pair {@code pair}: {@code pair + rotaryDim/2} or {@code 2·pair + 1}. */
    public int secondColumn(int pair, int rotaryDim) {
        return this == INTERLEAVED ? 2 * pair + 1 : pair + rotaryDim / 2;
    }
}
