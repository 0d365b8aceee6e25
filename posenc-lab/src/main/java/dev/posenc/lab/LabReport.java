package dev.posenc.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the per-run results into the experiments' JSON objects (schema: docs/lab-json.md). Means and standard
 * deviations are over seeds; the standard deviation is the sample one ({@code n − 1}).
 */
final class LabReport {
    private final LabPreset preset;
    private final List<String> encodings;
    private final Map<String, Map<String, Object>> lm;
    private final Map<String, Map<String, Object>> cnn;

    LabReport(LabPreset preset, List<String> encodings, Map<String, Map<String, Object>> lm,
              Map<String, Map<String, Object>> cnn) {
        this.preset = preset;
        this.encodings = encodings;
        this.lm = lm;
        this.cnn = cnn;
    }

    private List<Map<String, Object>> runs(String experiment, String encoding) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int s = 1; s <= preset.seeds(); s++) {
            out.add(lm.get(experiment + "-" + encoding + "-s" + s));
        }
        return out;
    }

    private static double number(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }

    static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static double std(List<Double> v) {
        if (v.size() < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        return Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1));
    }

    private Map<String, Object> seedSummary(String label, String key, List<Double> values) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put(label, key);
        r.put("val_ppl", values);
        r.put("mean", mean(values));
        r.put("std", std(values));
        return r;
    }

    Map<String, Object> ranking() {
        List<Map<String, Object>> results = new ArrayList<>();
        for (String encoding : encodings) {
            results.add(seedSummary("encoding", encoding,
                    runs("ranking", encoding).stream().map(r -> number(r.get("val_ppl"))).toList()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("train_len", preset.train().seqLen());
        out.put("steps", preset.train().steps());
        out.put("tokens_per_run", (long) preset.train().steps() * preset.train().batch() * preset.train().seqLen());
        out.put("seeds", preset.seeds());
        out.put("results", results);
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> extrapolation() {
        int l = preset.train().seqLen();
        List<Integer> lens = preset.extrapolationFactors().stream().map(f -> f * l).toList();
        List<String> names = new ArrayList<>(encodings);
        if (encodings.contains("rope")) {
            names.addAll(List.of(Lab.ROPE_SCALINGS));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (String name : names) {
            String trained = name.startsWith("rope+") ? "rope" : name;
            List<List<Double>> perSeed = new ArrayList<>();
            for (Map<String, Object> run : runs("ranking", trained)) {
                Map<String, List<Object>> ppl = (Map<String, List<Object>>) run.get("ppl");
                perSeed.add(ppl.get(name).stream().map(LabReport::number).toList());
            }
            List<Double> mean = new ArrayList<>();
            for (int i = 0; i < lens.size(); i++) {
                int at = i;
                mean.add(mean(perSeed.stream().map(p -> p.get(at)).toList()));
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("encoding", name);
            r.put("ppl", mean);
            r.put("ppl_per_seed", perSeed);
            results.add(r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("train_len", l);
        out.put("eval_lens", lens);
        out.put("dynamic_factor", Lab.DYNAMIC_FACTOR);
        out.put("results", results);
        return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> learnableTheta(float[] initial) {
        if (!encodings.contains("rope-learned-theta")) {
            return null;
        }
        List<List<Double>> trained = new ArrayList<>();
        List<Double> meanRel = new ArrayList<>();
        List<Double> maxRel = new ArrayList<>();
        for (Map<String, Object> run : runs("ranking", "rope-learned-theta")) {
            List<Double> theta = ((List<Object>) run.get("theta")).stream().map(LabReport::number).toList();
            trained.add(theta);
            double sum = 0;
            double max = 0;
            for (int i = 0; i < initial.length; i++) {
                double rel = Math.abs(theta.get(i) - initial[i]) / initial[i];
                sum += rel;
                max = Math.max(max, rel);
            }
            meanRel.add(sum / initial.length);
            maxRel.add(max);
        }
        List<Double> perPair = new ArrayList<>();
        List<Double> absolutePerPair = new ArrayList<>();
        List<Double> wavelengths = new ArrayList<>();
        List<Double> fast = new ArrayList<>();
        int trainLen = preset.train().seqLen();
        for (int i = 0; i < initial.length; i++) {
            int at = i;
            double relative = mean(trained.stream().map(t -> Math.abs(t.get(at) - initial[at]) / initial[at]).toList());
            perPair.add(relative);
            absolutePerPair.add(mean(trained.stream().map(t -> Math.abs(t.get(at) - initial[at])).toList()));
            double wavelength = 2 * Math.PI / initial[i];
            wavelengths.add(wavelength);
            if (wavelength <= trainLen) {
                fast.add(relative);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("head_dim", preset.model().headDim());
        out.put("initial", initial);
        out.put("trained", trained);
        out.put("wavelength", wavelengths);
        out.put("relative_change_per_pair", perPair);
        out.put("absolute_change_per_pair", absolutePerPair);
        out.put("fast_pairs", fast.size());
        out.put("mean_relative_change_fast_pairs", mean(fast));
        out.put("mean_relative_change", meanRel);
        out.put("max_relative_change", maxRel);
        out.put("val_ppl_learned_theta", seedSummary("encoding", "rope-learned-theta",
                runs("ranking", "rope-learned-theta").stream().map(r -> number(r.get("val_ppl"))).toList()));
        if (encodings.contains("rope")) {
            out.put("val_ppl_fixed_theta", seedSummary("encoding", "rope",
                    runs("ranking", "rope").stream().map(r -> number(r.get("val_ppl"))).toList()));
        }
        return out;
    }

    Map<String, Object> linearAttention() {
        List<Map<String, Object>> results = new ArrayList<>();
        for (String encoding : List.of("nope", "rope")) {
            results.add(seedSummary("encoding", encoding.equals("nope") ? "linear" : "linear+rope",
                    runs("linear", encoding).stream().map(r -> number(r.get("val_ppl"))).toList()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("feature_map", "elu+1");
        out.put("train_len", preset.train().seqLen());
        out.put("results", results);
        return out;
    }

    Map<String, Object> cnnPosition() {
        List<Map<String, Object>> results = new ArrayList<>();
        int layers = 0;
        for (CnnPositionProbe.Padding p : CnnPositionProbe.Padding.values()) {
            String name = p.name().toLowerCase(java.util.Locale.ROOT);
            List<Double> accuracy = new ArrayList<>();
            List<Double> error = new ArrayList<>();
            for (int s = 1; s <= preset.seeds(); s++) {
                Map<String, Object> r = cnn.get("cnn-" + name + "-s" + s);
                accuracy.add(number(r.get("accuracy")));
                error.add(number(r.get("mean_abs_error")));
                layers = ((Number) r.get("layers")).intValue();
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("padding", name);
            r.put("accuracy", accuracy);
            r.put("mean_accuracy", mean(accuracy));
            r.put("mean_abs_error", error);
            r.put("mean_mean_abs_error", mean(error));
            results.add(r);
        }
        int t = preset.train().seqLen();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seq_len", t);
        out.put("layers", layers);
        out.put("steps", preset.cnnSteps());
        out.put("chance_accuracy", 1.0 / t);
        out.put("chance_mean_abs_error", (t * t - 1) / (3.0 * t));
        out.put("results", results);
        return out;
    }
}
