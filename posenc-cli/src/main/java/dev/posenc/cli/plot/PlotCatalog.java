package dev.posenc.cli.plot;

import dev.posenc.cli.ExampleConfigs;
import dev.posenc.cli.verify.Build;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Every picture {@code posenc plot} can draw, by name, in the order the report shows them. */
public final class PlotCatalog {
    /**
     * One plot.
     *
     * @param name the name on the command line
     * @param description one line for {@code --help}
     * @param takesConfig whether {@code --config FILE} applies
     */
    public record Entry(String name, String description, boolean takesConfig, Drawer drawer) {}

    /** Draws a figure from the build (and a config file for the plots that take one). */
    @FunctionalInterface
    public interface Drawer {
        Figure draw(Build build, Optional<Path> config);
    }

    /** The config the {@code bands} plot draws when none is given. */
    public static final String DEFAULT_BANDS_CONFIG = "llama-3.1-8b.json";

    private static final List<Entry> ENTRIES = List.of(
            new Entry("clock", "one 2D pair rotated over positions (RoPE's clock)", false,
                    (b, c) -> RopePlots.clock(b)),
            new Entry("relativity", "<RoPE(q,m), RoPE(k,n)> over m and n: constant along diagonals", false,
                    (b, c) -> RopePlots.relativity(b)),
            new Entry("decay", "long-range decay: the RoFormer bound and random q/k, several bases", false,
                    (b, c) -> RopePlots.decay(b)),
            new Entry("base-decay", "Llama 3.1: base 500000 vs 8000000 beyond the 8k training length", false,
                    (b, c) -> RopePlots.baseDecay(b)),
            new Entry("scaling", "attention score vs distance beyond the training length, per scaling method",
                    false, (b, c) -> RopePlots.scaling(b)),
            new Entry("bands", "frequency bands and wavelengths of a config against its original and extended"
                    + " context", true,
                    (b, c) -> EncodingPlots.bands(b.bands(c.orElseGet(() -> ExampleConfigs.path(DEFAULT_BANDS_CONFIG))))),
            new Entry("sinusoidal", "sinusoidal position encoding heatmap", false,
                    (b, c) -> EncodingPlots.sinusoidal(b)),
            new Entry("wavelengths", "sinusoidal wavelengths from 2π to 10000·2π", false,
                    (b, c) -> EncodingPlots.wavelengths(b)),
            new Entry("t5-buckets", "T5 bucket map over query and key positions", false,
                    (b, c) -> EncodingPlots.t5Buckets(b)),
            new Entry("alibi", "ALiBi bias per head", false, (b, c) -> EncodingPlots.alibi(b)));

    private PlotCatalog() {}

    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static Optional<Entry> byName(String name) {
        return ENTRIES.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }
}
