package dev.posenc.querykey;

import java.util.Objects;

/**
 * The frequencies of a running dynamic-NTK model, updated forward pass by forward pass as Hugging Face's
 * {@code dynamic_rope_update} does (transformers v5 {@code modeling_rope_utils.py}, {@code dynamic_frequency_update}).
 *
 * <p>With {@code L = max(position_ids) + 1} of the pass and {@code maxpos = max_position_embeddings}:
 * <ul>
 *   <li><b>growth</b>: if {@code L > maxSeqLenCached}, the frequencies are recomputed for {@code L} and
 *       {@code maxSeqLenCached = L};
 *   <li><b>reset</b>: if {@code L < maxpos} and {@code maxSeqLenCached > maxpos}, the original frequencies come back
 *       and {@code maxSeqLenCached = maxpos}.
 * </ul>
 * Faithful consequences: a pass with exactly {@code L = maxpos} after a longer one keeps the grown frequencies (the
 * reset needs {@code L < maxpos}); a pass shorter than a previous long one but still above {@code maxpos} keeps the
 * frequencies of the longest pass seen. Keys already in a KV cache are not re-rotated when the frequencies change,
 * exactly as in HF.
 *
 * <p>The reset is the fix for transformers #25306 (a long prompt changed later short generations). It never ran in
 * the v5 development branch that wrote {@code None_max_seq_len_cached} (transformers PR #46624); this class keeps
 * the cached length where the reset reads it.
 *
 * <p><b>Not thread-safe</b>: one instance per model instance (HF keeps this state in the rotary module's buffers);
 * callers that share a model across threads must serialise {@link #update(long)}.
 */
public final class DynamicRopeState {
    private final RopeSpec spec;
    private final RotaryFrequencies original;
    private RotaryFrequencies current;
    private long maxSeqLenCached;

    /** A freshly initialised model: the original frequencies, {@code maxSeqLenCached = max_position_embeddings}. */
    public DynamicRopeState(RopeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.ropeType() != RopeType.DYNAMIC) {
            throw new IllegalArgumentException(
                    "DynamicRopeState needs a dynamic rope spec, got " + spec.ropeType());
        }
        this.spec = spec;
        this.original = spec.frequencies();
        this.current = original;
        this.maxSeqLenCached = spec.maxPositionEmbeddings();
    }

    /**
     * Applies one forward pass and returns the frequencies it rotates with.
     *
     * @param seqLen {@code max(position_ids) + 1} of the pass, {@code >= 1}
     */
    public RotaryFrequencies update(long seqLen) {
        if (seqLen < 1) {
            throw new IllegalArgumentException("seq_len must be >= 1, got " + seqLen);
        }
        long cachedBefore = maxSeqLenCached;
        long originalMaxSeqLen = spec.maxPositionEmbeddings();
        if (seqLen > cachedBefore) {
            current = spec.frequencies(seqLen);
            maxSeqLenCached = seqLen;
        }
        if (seqLen < originalMaxSeqLen && cachedBefore > originalMaxSeqLen) {
            current = original;
            maxSeqLenCached = originalMaxSeqLen;
        }
        return current;
    }

    /** The frequencies the last pass used (the original ones before any pass). */
    public RotaryFrequencies current() {
        return current;
    }

    /** HF's {@code max_seq_len_cached}: the sequence length the current frequencies were computed for. */
    public long maxSeqLenCached() {
        return maxSeqLenCached;
    }

    /** The spec this state evolves. */
    public RopeSpec spec() {
        return spec;
    }
}
