package dev.posenc.cli;

import dev.posenc.input.SinusoidLayout;
import dev.posenc.input.SinusoidalPositions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code posenc absolute sinusoidal}: the sinusoidal table of Vaswani et al. (or its concatenated form). */
@Command(
        name = "sinusoidal",
        mixinStandardHelpOptions = true,
        description = {"The sinusoidal position table of Vaswani et al. (interleaved) or Transformer-XL (concatenated).",
            "Interleaved: PE[p, 2i] = sin(p / base^(2i/dim)), PE[p, 2i+1] = cos(p / base^(2i/dim)); concatenated:"
                    + " [sin || cos]. Double precision."})
public final class AbsoluteSinusoidalCommand implements Callable<Integer> {
    /** The most table entries one command prints: --dim × --positions; about 20 MB of JSON, fits a 256 MiB heap. */
    static final long MAX_ENTRIES = 1_000_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--dim", required = true, description = "vector size (even)")
    int dim;

    @Option(names = "--positions", required = true,
            description = "number of positions, from 0 (--dim × --positions at most " + MAX_ENTRIES + ")")
    int positions;

    @Option(names = "--base", defaultValue = "10000", description = "wavelength base (default: ${DEFAULT-VALUE})")
    double base;

    @Option(names = "--layout", defaultValue = "interleaved",
            description = "interleaved or concatenated (default: ${DEFAULT-VALUE})")
    String layout;

    @Option(names = "--json", description = "print {\"table\":[[...] x positions]}")
    boolean json;

    @Override
    public Integer call() {
        if (dim < 2 || dim % 2 != 0) {
            throw new UserInputException("--dim must be even and >= 2, got " + dim);
        }
        if (positions < 1) {
            throw new UserInputException("--positions must be >= 1, got " + positions);
        }
        if ((long) dim * positions > MAX_ENTRIES) {
            throw new UserInputException("--dim " + dim + " x --positions " + positions + " is more than "
                    + MAX_ENTRIES + " entries (the most one call prints)");
        }
        if (!(base > 1) || Double.isInfinite(base)) {
            throw new UserInputException("--base must be a finite number > 1, got " + base);
        }
        SinusoidLayout sinusoidLayout = switch (layout.toLowerCase(Locale.ROOT)) {
            case "interleaved" -> SinusoidLayout.INTERLEAVED;
            case "concatenated" -> SinusoidLayout.CONCATENATED;
            default -> throw new UserInputException("--layout must be interleaved or concatenated, got " + layout);
        };
        SinusoidalPositions pe = new SinusoidalPositions(dim, base, sinusoidLayout);
        double[][] table = new double[positions][dim];
        for (int p = 0; p < positions; p++) {
            pe.write(p, table[p], 0);
        }
        if (json) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("table", table);
            spec.commandLine().getOut().println(JsonOutput.write(object));
            return 0;
        }
        StringBuilder text = new StringBuilder("Sinusoidal positions (" + sinusoidLayout.id() + ", dim=" + dim + ", base="
                + base + "); one row per position").append(System.lineSeparator());
        for (int p = 0; p < positions; p++) {
            text.append(String.format("%6d ", p));
            for (int c = 0; c < dim; c++) {
                text.append(String.format(Locale.ROOT, " %10.6f", table[p][c]));
            }
            text.append(System.lineSeparator());
        }
        spec.commandLine().getOut().print(text);
        return 0;
    }
}
