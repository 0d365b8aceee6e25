package dev.posenc.querykey;

/**
 * What a rope type does to one frequency pair relative to the original (pre-training) context: for display, e.g.
 * by {@code posenc inspect}.
 */
public enum PairBand {
    /** The pair rotates as in the original model (extrapolated: its frequency is unchanged). */
    KEPT("kept"),
    /** The pair's frequency is divided by a scale factor (position interpolation). */
    INTERPOLATED("interpolated"),
    /** The pair's frequency lies between kept and interpolated (YaRN ramp, Llama 3 smoothing, NTK base change). */
    BLENDED("blended"),
    /** The pair does not rotate at all ({@code inv_freq = 0}: the zero padding of proportional RoPE). */
    UNROTATED("unrotated");

    private final String id;

    PairBand(String id) {
        this.id = id;
    }

    /** The lower-case name used in CLI output. */
    public String id() {
        return id;
    }
}
