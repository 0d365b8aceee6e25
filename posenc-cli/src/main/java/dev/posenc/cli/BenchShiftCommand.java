package dev.posenc.cli;

import dev.posenc.bench.ShiftDrift;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code posenc bench shift}: the drift of cached keys after many context shifts, posenc's exact shift next to
 * naive float composition (see {@code dev.posenc.bench.ShiftDrift}). Deterministic, not timed.
 */
@Command(
        name = "shift",
        mixinStandardHelpOptions = true,
        description = {
            "Shift cached keys (float32, float16, bfloat16) by a negative delta many times, as a sliding context"
                    + " window does, and compare them with a fresh rotation at the final position: posenc's"
                    + " shiftKeys (exact double angles, one rounding per element) next to naive float composition"
                    + " (float angle and cos/sin per shift, what llama.cpp's K-shift does).",
            "Errors are per element, relative to its pair's length: maximum and root mean square, also in ulps of"
                    + " the storage type; the last column shifts once by the accumulated delta."
        })
public final class BenchShiftCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--head-dim", description = "head_dim, even (default ${DEFAULT-VALUE})", defaultValue = "128")
    int headDim;

    @Option(names = "--rope-theta", description = "rope_theta (default ${DEFAULT-VALUE})", defaultValue = "500000")
    double ropeTheta;

    @Option(names = "--shifts", description = "successive shifts (default ${DEFAULT-VALUE})", defaultValue = "1000")
    int shifts;

    @Option(names = "--delta", split = ",", description = "negative shifts to measure, comma-separated (default "
            + "${DEFAULT-VALUE})", defaultValue = "-1,-256,-2048")
    int[] deltas;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
        if (headDim < 2 || headDim % 2 != 0) {
            throw new UserInputException("--head-dim: expected an even number >= 2, got " + headDim);
        }
        if (shifts < 1) {
            throw new UserInputException("--shifts: expected a number >= 1, got " + shifts);
        }
        if (!(ropeTheta > 1) || Double.isInfinite(ropeTheta)) {
            throw new UserInputException("--rope-theta: expected a finite number > 1, got " + ropeTheta);
        }
        for (int d : deltas) {
            if (d >= 0 || (long) -d * shifts > Integer.MAX_VALUE - 64) {
                throw new UserInputException("--delta: expected negative shifts with |delta| x --shifts < 2^31, got "
                        + d);
            }
        }
        ShiftDrift.Config config = new ShiftDrift.Config(headDim, ropeTheta, 8, 16, shifts, deltas);
        List<ShiftDrift.Row> rows = ShiftDrift.run(config);
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? JsonOutput.write(toJson(config, rows)) : table(config, rows));
        out.flush();
        return 0;
    }

    private static Map<String, Object> toJson(ShiftDrift.Config c, List<ShiftDrift.Row> rows) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", "shift");
        m.put("head_dim", c.headDim());
        m.put("rope_theta", c.ropeTheta());
        m.put("heads", c.heads());
        m.put("tokens", c.tokens());
        m.put("shifts", c.shifts());
        List<Object> list = new ArrayList<>();
        for (ShiftDrift.Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("dtype", r.dtype());
            row.put("delta", r.delta());
            row.put("ulp", r.ulp());
            row.put("posenc_max", r.posencMax());
            row.put("posenc_rms", r.posencRms());
            row.put("naive_max", r.naiveMax());
            row.put("naive_rms", r.naiveRms());
            row.put("one_shift_of_the_total_max", r.onceMax());
            row.put("one_shift_of_the_total_rms", r.onceRms());
            list.add(row);
        }
        m.put("rows", list);
        return m;
    }

    private static String table(ShiftDrift.Config c, List<ShiftDrift.Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d shifts of cached keys vs a fresh rotation (head_dim %d, rope_theta"
                + " %.0f, %d tokens x %d heads); error per element / pair length, max (rms), in ulps of the type%n",
                c.shifts(), c.headDim(), c.ropeTheta(), c.tokens(), c.heads()));
        sb.append(String.format(Locale.ROOT, "%-9s %7s %24s %24s %24s%n", "dtype", "delta", "posenc shiftKeys",
                "naive float composition", "posenc, one shift of all"));
        for (ShiftDrift.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-9s %7d %12.3g (%8.3g) %12.3g (%8.3g) %12.3g (%8.3g)%n", r.dtype(),
                    r.delta(), r.posencMax() / r.ulp(), r.posencRms() / r.ulp(), r.naiveMax() / r.ulp(),
                    r.naiveRms() / r.ulp(), r.onceMax() / r.ulp(), r.onceRms() / r.ulp()));
        }
        return sb.toString().stripTrailing();
    }
}
