package dev.posenc.config;

import dev.posenc.querykey.RopeLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One model family {@link HfConfig} reads: the {@code model_type}s it covers, the RoPE layout its attention code
 * applies and its defaults. A {@code model_type} outside every family is read as a Llama-style RoPE model, with a
 * warning.
 *
 * <p>The layout is the pairing of the family's attention code: Hugging Face's {@code rotate_half} is
 * {@link RopeLayout#HALF}; {@code rotate_every_two}, complex multiplication and {@code repeat_interleave(2)} are
 * {@link RopeLayout#INTERLEAVED}. Families that may use positions other than RoPE (Falcon's {@code alibi}, MPT,
 * DeBERTa) are read by the keys their Hugging Face config class documents.
 *
 * @param name the family's name, e.g. {@code "llama"} or {@code "gpt_neox"}
 * @param modelTypes the {@code model_type} values of the family, sorted (ignoring case)
 * @param ropeLayout the pairing of its rotary embedding; empty for families without RoPE (BLOOM, MPT, T5, DeBERTa,
 *     BERT, GPT-2)
 * @param defaultPartialRotaryFactor the share of the head that rotates when the config does not say (its
 *     {@code partial_rotary_factor} or the family's own key, e.g. GPT-NeoX's {@code rotary_pct}); empty without RoPE
 * @param defaultMaxPositionEmbeddings the {@code max_position_embeddings} of the Hugging Face (or remote-code) config
 *     class, by {@code model_type}, used with a warning when a config omits it; only the checked defaults are listed; sorted (ignoring case)
 */
public record SupportedFamily(String name, List<String> modelTypes, Optional<RopeLayout> ropeLayout,
                              OptionalDouble defaultPartialRotaryFactor,
                              Map<String, Integer> defaultMaxPositionEmbeddings) {
    public SupportedFamily {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(ropeLayout, "ropeLayout");
        Objects.requireNonNull(defaultPartialRotaryFactor, "defaultPartialRotaryFactor");
        modelTypes = List.copyOf(modelTypes);
        TreeMap<String, Integer> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        sorted.putAll(defaultMaxPositionEmbeddings);
        defaultMaxPositionEmbeddings = Collections.unmodifiableSortedMap(sorted);
        if (modelTypes.isEmpty()) {
            throw new IllegalArgumentException(name + ": expected at least one model_type");
        }
        if (ropeLayout.isPresent() != defaultPartialRotaryFactor.isPresent()) {
            throw new IllegalArgumentException(name + ": a partial rotary factor goes with a RoPE layout");
        }
        if (defaultPartialRotaryFactor.isPresent()
                && !(defaultPartialRotaryFactor.getAsDouble() > 0 && defaultPartialRotaryFactor.getAsDouble() <= 1)) {
            throw new IllegalArgumentException(name + ": expected a partial rotary factor in (0, 1], got "
                    + defaultPartialRotaryFactor.getAsDouble());
        }
        if (!modelTypes.containsAll(defaultMaxPositionEmbeddings.keySet())) {
            throw new IllegalArgumentException(name + ": a default max_position_embeddings for a model_type outside"
                    + " the family");
        }
    }

    /** Every family posenc reads: the RoPE families first, then ALiBi, T5, DeBERTa and learned absolute positions. */
    public static List<SupportedFamily> all() {
        List<SupportedFamily> families = new ArrayList<>();
        for (ModelFamily family : ModelFamily.values()) {
            List<String> types = ModelFamily.modelTypes().stream()
                    .filter(t -> ModelFamily.of(t).orElseThrow() == family)
                    .sorted(String.CASE_INSENSITIVE_ORDER)
                    .toList();
            Map<String, Integer> maxPositions = new TreeMap<>();
            for (String type : types) {
                ModelFamily.defaultMaxPositionEmbeddings(type).ifPresent(v -> maxPositions.put(type, v));
            }
            Optional<RopeLayout> layout = Optional.ofNullable(family.layout());
            families.add(new SupportedFamily(family.name().toLowerCase(Locale.ROOT), types, layout,
                    layout.isPresent() ? OptionalDouble.of(family.defaultPartialRotaryFactor()) : OptionalDouble.empty(),
                    maxPositions));
        }
        return List.copyOf(families);
    }
}
