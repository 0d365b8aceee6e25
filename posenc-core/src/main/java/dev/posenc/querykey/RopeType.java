package dev.posenc.querykey;

import java.util.Objects;
import java.util.Optional;

/**
 * How a model scales its rotary frequencies: Hugging Face's {@code rope_type} values (v5 {@code ROPE_INIT_FUNCTIONS}
 * plus {@code "default"}), and {@link #NTK}, which Hugging Face lacks.
 *
 * <p>Aliases found in published configs ({@code "su"} for longrope, {@code "mrope"} for default, {@code "type"} for
 * {@code "rope_type"}) are resolved by the config loader, not here.
 */
public enum RopeType {
    /** RoFormer / Llama: {@code inv_freq[i] = 1 / θ^(2i/d)}. */
    DEFAULT("default"),
    /** Position interpolation (Chen et al. 2023): {@code inv_freq / factor}. */
    LINEAR("linear"),
    /** Hugging Face dynamic NTK: θ grows with the sequence length above {@code max_position_embeddings}. */
    DYNAMIC("dynamic"),
    /** YaRN (Peng et al. 2023): a ramp between extrapolated and interpolated pairs, plus an attention factor. */
    YARN("yarn"),
    /** LongRoPE / Phi-3 (formerly {@code "su"}): per-pair rescale factors, short below the original context, long above. */
    LONGROPE("longrope"),
    /** Llama 3.1: keep high frequencies, divide low ones by the factor, blend the band between. */
    LLAMA3("llama3"),
    /** Gemma-style partial rotary: the first pairs of the full head rotate (denominator {@code head_dim}), the rest do not. */
    PROPORTIONAL("proportional"),
    /** Static NTK-aware scaling (bloc97, 2023): {@code θ' = θ·s^(d/(d−2))}; not a Hugging Face rope type. */
    NTK("ntk");

    private final String id;

    RopeType(String id) {
        this.id = id;
    }

    /** The {@code rope_type} string of the config. */
    public String id() {
        return id;
    }

    /** The type whose {@link #id()} is {@code id}, if any (exact match; aliases are not resolved). */
    public static Optional<RopeType> byId(String id) {
        Objects.requireNonNull(id, "id");
        for (RopeType t : values()) {
            if (t.id.equals(id)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
