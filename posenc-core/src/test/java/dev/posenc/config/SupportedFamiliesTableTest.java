package dev.posenc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.posenc.testing.ReadmeFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** README.md's table of model families is {@link SupportedFamily#all()}, row for row. */
class SupportedFamiliesTableTest {
    static final String START = "<!-- model-families:start (checked by SupportedFamiliesTableTest) -->";
    static final String END = "<!-- model-families:end -->";

    @Test
    void readmeTableListsEveryFamilyWithItsLayoutAndDefaults() {
        List<String> expected = new ArrayList<>();
        expected.add("| family | model_type | RoPE layout | default partial_rotary_factor"
                + " | default max_position_embeddings |");
        expected.add("|---|---|---|---|---|");
        for (SupportedFamily f : SupportedFamily.all()) {
            expected.add("| " + f.name()
                    + " | " + f.modelTypes().stream().map(t -> "`" + t + "`").collect(Collectors.joining(", "))
                    + " | " + f.ropeLayout().map(l -> l.id()).orElse("—")
                    + " | " + (f.defaultPartialRotaryFactor().isPresent()
                            ? number(f.defaultPartialRotaryFactor().getAsDouble()) : "—")
                    + " | " + (f.defaultMaxPositionEmbeddings().isEmpty() ? "—"
                            : f.defaultMaxPositionEmbeddings().entrySet().stream()
                                    .map(e -> "`" + e.getKey() + "` " + e.getValue())
                                    .collect(Collectors.joining(", ")))
                    + " |");
        }
        assertEquals(String.join("\n", expected), String.join("\n", ReadmeFile.between(START, END)),
                "README.md's model family table (regenerate it from the expected text)");
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
