package dev.posenc.cli;

import dev.posenc.logits.AlibiSlopes;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code posenc bias alibi}: ALiBi slopes per head by the paper's, BLOOM's or MPT's rule. */
@Command(
        name = "alibi",
        mixinStandardHelpOptions = true,
        description = {"ALiBi slopes per head, by the paper's, BLOOM's or MPT's rule.",
            "paper: get_slopes (double); bloom: build_alibi_tensor (float32); mpt: gen_slopes with alibi_bias_max"
                    + " (float32)."})
public final class BiasAlibiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--heads", required = true, description = "number of attention heads (1 to "
            + AlibiSlopes.MAX_HEADS + ")")
    int heads;

    @Option(names = "--style", defaultValue = "paper", description = "paper, bloom or mpt (default: ${DEFAULT-VALUE})")
    String style;

    @Option(names = "--bias-max", description = "the maximum exponent alibi_bias_max (default 8; MPT's "
            + "attn_config.alibi_bias_max); BLOOM's rule fixes it at 8")
    Double biasMax;

    @Option(names = "--json", description = "print {\"slopes\":[...]}")
    boolean json;

    @Override
    public Integer call() {
        if (heads < 1 || heads > AlibiSlopes.MAX_HEADS) {
            throw new UserInputException("--heads must be between 1 and " + AlibiSlopes.MAX_HEADS + ", got " + heads);
        }
        String rule = style.toLowerCase(Locale.ROOT);
        if (biasMax != null && (!(biasMax > 0) || biasMax.isInfinite())) {
            throw new UserInputException("--bias-max must be a finite number > 0, got " + biasMax);
        }
        double max = biasMax == null ? AlibiSlopes.DEFAULT_ALIBI_BIAS_MAX : biasMax;
        double[] slopes = switch (rule) {
            case "paper" -> AlibiSlopes.paper(heads, max);
            case "bloom" -> {
                if (max != AlibiSlopes.DEFAULT_ALIBI_BIAS_MAX) {
                    throw new UserInputException("--bias-max " + biasMax + " does not apply to --style bloom: "
                            + "build_alibi_tensor always uses 8 (use --style mpt or paper)");
                }
                yield AlibiSlopes.bloom(heads);
            }
            case "mpt" -> AlibiSlopes.mpt(heads, max);
            default -> throw new UserInputException("--style must be paper, bloom or mpt, got " + style);
        };
        if (json) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("slopes", slopes);
            spec.commandLine().getOut().println(JsonOutput.write(object));
            return 0;
        }
        StringBuilder text = new StringBuilder("ALiBi slopes (" + rule + ", alibi_bias_max=" + max + ", " + heads
                + " heads)")
                .append(System.lineSeparator());
        text.append(String.format("%4s  %-22s  %s%n", "head", "slope", "log2(slope)"));
        for (int h = 0; h < heads; h++) {
            text.append(String.format(Locale.ROOT, "%4d  %-22s  %.6f%n", h, slopes[h], Math.log(slopes[h]) / Math.log(2)));
        }
        spec.commandLine().getOut().print(text);
        return 0;
    }
}
