package dev.posenc.lab;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The lab summary ({@link Lab#run}) as plain-text tables, one section per experiment. */
public final class LabTables {
    private LabTables() {}

    private static double number(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    private static String fmt(Object o) {
        double d = number(o);
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.3f", d) : "—";
    }

    @SuppressWarnings("unchecked")
    public static String format(Map<String, Object> summary) {
        StringBuilder out = new StringBuilder();
        Map<String, Object> ex = (Map<String, Object>) summary.get("experiments");
        out.append("posenc lab, preset ").append(summary.get("preset")).append(", ").append(summary.get("engine"))
                .append("\ncorpus: ").append(((Map<String, Object>) summary.get("corpus")).get("name")).append('\n');

        Map<String, Object> ranking = (Map<String, Object>) ex.get("ranking");
        out.append("\n1. ranking: validation perplexity at L=").append(ranking.get("train_len")).append(" after ")
                .append(ranking.get("steps")).append(" steps, ").append(ranking.get("seeds")).append(" seeds\n");
        out.append(String.format(Locale.ROOT, "  %-20s %9s %8s  %s%n", "encoding", "mean", "std", "per seed"));
        for (Map<String, Object> r : (List<Map<String, Object>>) ranking.get("results")) {
            out.append(String.format(Locale.ROOT, "  %-20s %9s %8s  %s%n", r.get("encoding"), fmt(r.get("mean")),
                    fmt(r.get("std")), ((List<Object>) r.get("val_ppl")).stream().map(LabTables::fmt).toList()));
        }

        Map<String, Object> extra = (Map<String, Object>) ex.get("extrapolation");
        List<Object> lens = (List<Object>) extra.get("eval_lens");
        out.append("\n2. extrapolation: trained at L=").append(extra.get("train_len"))
                .append(", perplexity (mean over seeds) at\n");
        out.append(String.format(Locale.ROOT, "  %-20s", "encoding"));
        lens.forEach(l -> out.append(String.format(Locale.ROOT, " %9s", l)));
        out.append('\n');
        for (Map<String, Object> r : (List<Map<String, Object>>) extra.get("results")) {
            out.append(String.format(Locale.ROOT, "  %-20s", r.get("encoding")));
            ((List<Object>) r.get("ppl")).forEach(p -> out.append(String.format(Locale.ROOT, " %9s", fmt(p))));
            out.append('\n');
        }

        Map<String, Object> theta = (Map<String, Object>) ex.get("learnable_theta");
        if (theta != null) {
            out.append("\n3. learnable θ: relative change |θ − θ0|/θ0 per seed: mean ")
                    .append(((List<Object>) theta.get("mean_relative_change")).stream().map(LabTables::fmt).toList())
                    .append(", max ")
                    .append(((List<Object>) theta.get("max_relative_change")).stream().map(LabTables::fmt).toList())
                    .append("\n   pairs turning within the window (").append(theta.get("fast_pairs"))
                    .append("): mean relative change ").append(fmt(theta.get("mean_relative_change_fast_pairs")))
                    .append("; absolute change per pair ")
                    .append(((List<Object>) theta.get("absolute_change_per_pair")).stream().map(LabTables::fmt).toList())
                    .append('\n');
        }

        Map<String, Object> linear = (Map<String, Object>) ex.get("linear_attention");
        out.append("\n4. linear attention (φ = elu+1), validation perplexity\n");
        for (Map<String, Object> r : (List<Map<String, Object>>) linear.get("results")) {
            out.append(String.format(Locale.ROOT, "  %-20s %9s ± %s%n", r.get("encoding"), fmt(r.get("mean")),
                    fmt(r.get("std"))));
        }

        Map<String, Object> cnn = (Map<String, Object>) ex.get("cnn_position");
        out.append("\n5. CNN predicting absolute position (T=").append(cnn.get("seq_len")).append(", chance accuracy ")
                .append(fmt(cnn.get("chance_accuracy"))).append(", chance mean |error| ")
                .append(fmt(cnn.get("chance_mean_abs_error"))).append(")\n");
        for (Map<String, Object> r : (List<Map<String, Object>>) cnn.get("results")) {
            out.append(String.format(Locale.ROOT, "  %-9s padding: accuracy %s, mean |error| %s positions%n",
                    r.get("padding"), fmt(r.get("mean_accuracy")), fmt(r.get("mean_mean_abs_error"))));
        }

        Map<String, Object> overhead = (Map<String, Object>) ex.get("overhead");
        out.append("\n6. overhead: ms per training step (relative to nope)\n");
        for (Map<String, Object> r : (List<Map<String, Object>>) overhead.get("step")) {
            out.append(String.format(Locale.ROOT, "  %-20s %9s  %s×%n", r.get("encoding"), fmt(r.get("step_ms")),
                    fmt(r.get("relative_to_nope"))));
        }
        Map<String, Object> apply = (Map<String, Object>) overhead.get("rope_apply");
        out.append(String.format(Locale.ROOT, "  RoPE alone on q,k %s: additive %s ms, naive %s ms (%s×), fused %s ms "
                        + "(%s×)%n", apply.get("shape"), fmt(apply.get("additive_ms")), fmt(apply.get("naive_ms")),
                fmt(apply.get("naive_vs_additive")), fmt(apply.get("fused_ms")), fmt(apply.get("fused_vs_additive"))));
        return out.toString();
    }
}
