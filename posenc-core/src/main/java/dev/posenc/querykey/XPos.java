package dev.posenc.querykey;

/**
 * xPos, the length-extrapolatable rotary embedding (Sun et al. 2022, "A Length-Extrapolatable Transformer",
 * arXiv:2212.10554, §3.2): RoPE whose pair {@code i} of a query at position {@code n} is also multiplied by
 * {@code ζ_i^((n - center) / scaleBase)} and of a key at position {@code m} by {@code ζ_i^(-(m - center) / scaleBase)},
 * so the attention logit of the pair decays as {@code ζ_i^((n - m) / scaleBase)} with distance, whatever the
 * center. {@code ζ_i = (2i + 0.4 · rotary_dim) / (1.4 · rotary_dim)} (the paper's {@code (i / (d/2) + γ) / (1 + γ)}
 * with {@code γ = 0.4}).
 *
 * <p>Reference implementation: lucidrains {@code rotary-embedding-torch} ({@code use_xpos=True},
 * {@code rotate_queries_and_keys}; {@code xpos_scale_base = 512}, center {@code seq_len // 2}, interleaved layout,
 * one scale per pair as in its {@code get_scale} since the 2024 fix "Fix chi scale multiplication"; earlier
 * versions concatenated the scale vector, {@code cat((scale, scale))}, so the two elements of a pair were scaled
 * differently). The center only keeps the factors in range: the query and key of one attention must use the same
 * center, and keys cached for decoding keep theirs, so choose it once per sequence. The factors leave the float
 * range (the smallest {@code ζ_0 = 2/7} underflows for queries, overflows for keys) once {@code |position - center|}
 * exceeds about {@code 70 * scaleBase}; the paper pairs xPos with blockwise attention for that reason.
 *
 * @param scaleBase the paper's B, finite and {@code > 0} (512 in the paper and in rotary-embedding-torch)
 * @param center the position whose factors are 1 (rotary-embedding-torch: {@code seq_len // 2})
 */
public record XPos(double scaleBase, int center) {

    public XPos {
        if (!(scaleBase > 0) || Double.isInfinite(scaleBase)) {
            throw new IllegalArgumentException("xPos scale_base must be finite and > 0, got " + scaleBase);
        }
    }

    /** {@code ζ_i = (2i + 0.4 · rotaryDim) / (1.4 · rotaryDim)}. */
    public static double zeta(int rotaryDim, int pair) {
        return (2.0 * pair + 0.4 * rotaryDim) / (1.4 * rotaryDim);
    }

    /** The query factor of pair {@code pair} at {@code position}; the key factor is its inverse. */
    public double queryScale(int rotaryDim, int pair, int position) {
        return Math.pow(zeta(rotaryDim, pair), ((double) position - center) / scaleBase);
    }
}
